#include "funnelmc/draws.h"

#include "funnelmc/stream.h"

fmc_draws fmc_draws_mc(uint64_t seed, size_t inputs, uint32_t periods)
{
    return (fmc_draws){{FMC_DESIGN_MC, 1, 0}, NULL, seed, 0, inputs, periods ? periods : 1};
}

uint32_t fmc_draws_dimension(const fmc_draws *draws, uint32_t purpose, uint32_t period)
{
    uint32_t d = (uint32_t)draws->inputs;
    uint32_t matrix = purpose == FMC_PURPOSE_SOBOL_B ? draws->periods * d : 0;
    return matrix + (period - 1) * d;
}

void fmc_draws_fill(const fmc_draws *draws, uint32_t purpose, uint32_t period, uint64_t first,
                    size_t count, uint32_t *const *words)
{
    fmc_design_slots at = {purpose, period, fmc_draws_dimension(draws, purpose, period)};
    fmc_design_fill(&draws->design, draws->seed, &at, draws->first + first, count, draws->inputs,
                    words);
    if (draws->copula)
        fmc_copula_apply(draws->copula, words, count);
}
