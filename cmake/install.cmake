# Install rules, pkg-config file, CMake package config and cpack (issue 19: being written).
