# Writes OUTPUT, a C file defining FUNCTION(), which returns the bytes of
# INPUT as a NUL-terminated string.
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT}
  "/* Generated from ${INPUT}; do not edit. */\n"
  "#include \"funnelmc/scenario.h\"\n"
  "static const char text[] = {${bytes} 0x00};\n"
  "const char *${FUNCTION}(void) { return text; }\n")
