/* A scratch directory for tests that write files: made fresh under /tmp,
 * removed with everything in it. */
#ifndef FUNNELMC_TEST_TEMP_DIR_H
#define FUNNELMC_TEST_TEMP_DIR_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

static char directory[64];

static inline void make_directory(void)
{
    strcpy(directory, "/tmp/funnelmc-test-XXXXXX");
    REQUIRE(mkdtemp(directory) != NULL);
}

static inline void remove_directory(void)
{
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", directory);
    CHECK(system(command) == 0);
}

#endif
