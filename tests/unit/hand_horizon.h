/* A horizon attached by hand to a scenario loaded without one: the tests of
 * modules that follow paths (horizon.h) build their horizons here, with
 * growth and churn as inputs after the cost lines, as scenario.h has them. */
#ifndef FUNNELMC_TEST_HAND_HORIZON_H
#define FUNNELMC_TEST_HAND_HORIZON_H

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/scenario.h"

static inline char *hand_horizon_name(const char *name)
{
    char *copy = malloc(strlen(name) + 1);
    REQUIRE(copy);
    return strcpy(copy, name);
}

/* Gives S (loaded, with no horizon) the horizon H of PERIODS periods, no
 * discount and no budget, whose growth follows GROWTH (taken over) and
 * whose churn is CHURN.  H must outlive its use; detach_horizon before
 * fmc_scenario_free. */
static inline void attach_horizon(fmc_scenario *s, fmc_horizon *h, uint32_t periods,
                                  fmc_dist growth, double churn)
{
    REQUIRE(!s->horizon);
    s->inputs = realloc(s->inputs, (s->input_count + 2) * sizeof *s->inputs);
    REQUIRE(s->inputs);
    fmc_input *g = &s->inputs[s->input_count], *c = g + 1;
    memset(g, 0, 2 * sizeof *g);
    g->name = hand_horizon_name("growth");
    g->dist = growth;
    g->base = fmc_dist_mean(&growth);
    g->lowest = -1;
    g->highest = INFINITY;
    c->name = hand_horizon_name("churn");
    REQUIRE(fmc_dist_set_constant(&c->dist, churn, NULL) == FMC_OK);
    c->base = churn;
    c->lowest = 0;
    c->highest = 1;
    REQUIRE(g->name && c->name);
    *h = (fmc_horizon){periods, 0, s->input_count, s->input_count + 1, NULL, 0};
    s->input_count += 2;
    s->horizon = h;
}

/* Takes the horizon off S again (its inputs stay, freed with S). */
static inline void detach_horizon(fmc_scenario *s)
{
    s->horizon = NULL;
}

#endif
