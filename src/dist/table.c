/* Every law funnelmc knows, one row each, in the order its messages list
 * them (a law's row is all it takes to reach the scenario reader, the
 * sampler and the tests: dist.h, "Adding a law"). */
#include <string.h>

#include "funnelmc/dist.h"

const fmc_dist_type *const fmc_dist_types[] = {
    &fmc_dist_constant,
    &fmc_dist_uniform,
    &fmc_dist_triangular,
    &fmc_dist_pert,
    &fmc_dist_normal,
    &fmc_dist_lognormal,
    &fmc_dist_beta,
    &fmc_dist_gamma,
    &fmc_dist_discrete,
    &fmc_dist_empirical,
    NULL,
};

const fmc_dist_type *fmc_dist_type_find(const char *name)
{
    for (const fmc_dist_type *const *type = fmc_dist_types; name && *type; type++)
        if (strcmp((*type)->name, name) == 0)
            return *type;
    return NULL;
}
