/* The realised rank correlations of a run, through the accumulator's own
 * functions on hand-made blocks (words of the main stream, correlated by
 * the copula), as the engine calls them: the figures against the requested
 * correlations, the standard error against the spread over many seeds, the
 * same bits however blocks are cut into rounds, and the cases with nothing
 * to measure.  (A run of fmc_simulate on a scenario with `correlations:`
 * needs the scenario reader's support, which lands separately.) */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/copula.h"
#include "funnelmc/correlation_check.h"
#include "funnelmc/engine.h"
#include "funnelmc/stream.h"

#define INPUTS 4

/* A scenario of INPUTS inputs, the last constant, with PAIRS. */
typedef struct fixture {
    fmc_scenario scenario;
    fmc_input inputs[INPUTS];
    fmc_copula *copula;
} fixture;

static void fixture_init(fixture *f, const fmc_rank_correlation *pairs, size_t count)
{
    memset(f, 0, sizeof *f);
    for (size_t j = 0; j < INPUTS; j++)
        f->inputs[j].dist.kind = j + 1 < INPUTS ? FMC_DIST_UNIFORM : FMC_DIST_CONSTANT;
    f->scenario.inputs = f->inputs;
    f->scenario.input_count = INPUTS;
    f->scenario.correlations = (fmc_rank_correlation *)pairs;
    f->scenario.correlation_count = count;
    REQUIRE(fmc_copula_alloc(INPUTS, pairs, count, &f->copula, NULL) == FMC_OK);
}

/* Runs the accumulator over SAMPLES samples of SEED in rounds of
 * ROUND_BLOCKS blocks into *OUT, as the engine would: threads take blocks
 * in any order within a round, merge follows each round. */
static void run(const fixture *f, uint64_t seed, uint64_t samples, size_t round_blocks,
                fmc_run_result *out)
{
    fmc_run_options options = fmc_run_options_default();
    fmc_run_setup setup = {.scenario = &f->scenario, .options = &options, .samples = samples,
                           .seed = seed, .threads = 3, .own_threads = 3,
                           .round_blocks = round_blocks};
    const fmc_accumulator_type *type = &fmc_correlation_check_accumulator;
    void *state;
    REQUIRE(type->alloc(&setup, &state) == FMC_OK && state);
    uint32_t *words[INPUTS] = {NULL};
    for (size_t j = 0; j + 1 < INPUTS; j++) {
        words[j] = malloc(FMC_BLOCK_SIZE * round_blocks * sizeof **words);
        REQUIRE(words[j]);
    }
    for (uint64_t first = 0; first < samples; first += FMC_BLOCK_SIZE * round_blocks) {
        size_t blocks = 0;
        fmc_block block[64];
        REQUIRE(round_blocks <= 64);
        const uint32_t *at[64][INPUTS];
        for (; blocks < round_blocks && first + blocks * FMC_BLOCK_SIZE < samples; blocks++) {
            uint64_t start = first + blocks * FMC_BLOCK_SIZE;
            size_t count = samples - start < FMC_BLOCK_SIZE ? samples - start : FMC_BLOCK_SIZE;
            uint32_t *fill[INPUTS];
            for (size_t j = 0; j < INPUTS; j++)
                fill[j] = words[j] ? words[j] + blocks * FMC_BLOCK_SIZE : NULL;
            fmc_stream_fill(seed, FMC_PURPOSE_SAMPLES, start, count, INPUTS, fill);
            fmc_copula_apply(f->copula, fill, count);
            memcpy(at[blocks], fill, sizeof fill);
            block[blocks] = (fmc_block){.first = start, .count = count, .words = at[blocks]};
        }
        for (size_t b = blocks; b-- > 0;)  /* any order, any thread */
            type->add(state, (int)(b % 3), b, &block[b]);
        type->merge(state, blocks);
    }
    memset(out, 0, sizeof *out);
    REQUIRE(type->finish(state, out) == FMC_OK);
    type->free(state);
    for (size_t j = 0; j < INPUTS; j++)
        free(words[j]);
}

static const fmc_rank_correlation pairs[] = {{0, 1, 0.62}, {2, 1, -0.37}};

static void realised_correlations_are_the_requested_within_their_errors(void)
{
    fixture f;
    fixture_init(&f, pairs, 2);
    fmc_run_result r;
    run(&f, 2385, 1 << 20, 16, &r);
    REQUIRE(r.correlations.count == 2);
    for (size_t p = 0; p < 2; p++) {
        const fmc_realised_correlation *x = &r.correlations.pairs[p];
        CHECK(x->first == pairs[p].first && x->second == pairs[p].second);
        CHECK_EXACT(x->requested, pairs[p].rank);
        CHECK_NEAR(x->realised, x->requested, 4.5 * x->realised_se);
        CHECK(x->realised_se > 0.5 / 1024 && x->realised_se < 1.5 / 1024);
        CHECK_EXACT(x->z, (x->realised - x->requested) / x->realised_se);
    }
    fmc_run_result_clear(&r);
    CHECK(r.correlations.count == 0 && r.correlations.pairs == NULL);
    fmc_copula_free(f.copula);
}

/* Over SEEDS runs, the sd of the realised correlations against the mean of
 * their standard errors: the sd of S sample sds is about sd / sqrt(2 (S - 1)). */
static void standard_errors_match_the_spread_over_seeds(void)
{
    enum { SEEDS = 300, SAMPLES = 3 * FMC_BLOCK_SIZE + 1000 };
    fixture f;
    fixture_init(&f, pairs, 2);
    double sum[2] = {0}, squares[2] = {0}, se[2] = {0};
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        fmc_run_result r;
        run(&f, 1000 + seed, SAMPLES, 2, &r);
        for (size_t p = 0; p < 2; p++) {
            double x = r.correlations.pairs[p].realised;
            sum[p] += x;
            squares[p] += x * x;
            se[p] += r.correlations.pairs[p].realised_se / SEEDS;
        }
        fmc_run_result_clear(&r);
    }
    for (size_t p = 0; p < 2; p++) {
        double mean = sum[p] / SEEDS;
        double sd = sqrt((squares[p] - SEEDS * mean * mean) / (SEEDS - 1));
        CHECK_NEAR(sd / se[p], 1, 4.5 / sqrt(2.0 * (SEEDS - 1)));
        CHECK_NEAR(mean, pairs[p].rank, 4.5 * sd / sqrt(SEEDS));
    }
    fmc_copula_free(f.copula);
}

static void the_same_bits_however_blocks_are_cut_into_rounds(void)
{
    fixture f;
    fixture_init(&f, pairs, 2);
    enum { SAMPLES = 11 * FMC_BLOCK_SIZE + 123 };
    fmc_run_result one, other;
    run(&f, 7, SAMPLES, 1, &one);
    const size_t rounds[] = {3, 5, 12};
    for (size_t k = 0; k < 3; k++) {
        run(&f, 7, SAMPLES, rounds[k], &other);
        REQUIRE(other.correlations.count == 2);
        CHECK(memcmp(one.correlations.pairs, other.correlations.pairs,
                     2 * sizeof *one.correlations.pairs) == 0);
        fmc_run_result_clear(&other);
    }
    fmc_run_result_clear(&one);
    fmc_copula_free(f.copula);
}

static void a_scenario_without_correlations_has_no_check(void)
{
    fixture f;
    fixture_init(&f, NULL, 0);
    fmc_run_options options = fmc_run_options_default();
    fmc_run_setup setup = {.scenario = &f.scenario, .options = &options, .samples = 100,
                           .threads = 1, .own_threads = 1, .round_blocks = 1};
    void *state = &f;
    CHECK(fmc_correlation_check_accumulator.alloc(&setup, &state) == FMC_OK && state == NULL);
    fmc_correlation_check_accumulator.free(NULL);
    fmc_correlation_check_result_clear(NULL);
    fmc_copula_free(f.copula);
}

/* A constant has no words (the scenario reader refuses it in a pair; the
 * check does not count on that). */
static void a_pair_with_a_constant_has_no_figures(void)
{
    const fmc_rank_correlation with_constant[] = {{0, 1, 0.62}, {2, 3, 0.5}};
    fixture f;
    fixture_init(&f, with_constant, 2);
    fmc_run_result r;
    run(&f, 3, 2 * FMC_BLOCK_SIZE, 2, &r);
    REQUIRE(r.correlations.count == 2);
    CHECK(isfinite(r.correlations.pairs[0].realised));
    CHECK(isnan(r.correlations.pairs[1].realised) && isnan(r.correlations.pairs[1].realised_se));
    CHECK(isnan(r.correlations.pairs[1].z));
    fmc_run_result_clear(&r);
    fmc_copula_free(f.copula);
}

TEST_MAIN_BEGIN
RUN_TEST(realised_correlations_are_the_requested_within_their_errors);
RUN_TEST(standard_errors_match_the_spread_over_seeds);
RUN_TEST(the_same_bits_however_blocks_are_cut_into_rounds);
RUN_TEST(a_scenario_without_correlations_has_no_check);
RUN_TEST(a_pair_with_a_constant_has_no_figures);
TEST_MAIN_END
