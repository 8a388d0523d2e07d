/* What a run reports of a horizon, through the accumulator's own pointers
 * on blocks made by hand: each period's profit against closed forms, the
 * payback of hand-made paths (discounting included), the median payback
 * and its interval on known counts, and the same bits however the blocks
 * are shared among threads and rounds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/engine.h"
#include "funnelmc/horizon.h"
#include "funnelmc/horizon_summary.h"

enum { MAX_PERIODS = 12, MAX_BLOCK = 1000 };

/* Fills period T's (1-based) profit of block B's COUNT samples. */
typedef void fill_fn(uint32_t t, size_t b, size_t count, double *x);

/* The horizon result of BLOCKS blocks of COUNT samples over PERIODS
 * periods discounted at RATE, on THREADS threads (block b on thread
 * b % THREADS) in rounds of ROUND blocks, their slots filled last first;
 * the pilot sees PILOT_BLOCKS blocks. */
static void run(fill_fn *fill, uint32_t periods, double rate, size_t blocks, size_t count,
                int threads, size_t round, size_t pilot_blocks, fmc_horizon_result *out)
{
    fmc_horizon horizon = {.periods = periods, .discount_rate = rate};
    fmc_scenario scenario = {.horizon = &horizon, .confidence = 0.95};
    fmc_run_setup setup = {.scenario = &scenario, .samples = blocks * count, .threads = threads,
                           .round_blocks = round, .periods = periods};
    const fmc_accumulator_type *type = &fmc_horizon_accumulator;
    void *state = NULL;
    REQUIRE(type->alloc(&setup, &state) == FMC_OK && state);
    static double values[MAX_PERIODS][MAX_BLOCK];
    const double *rows[MAX_PERIODS];
    for (uint32_t t = 0; t < periods; t++)
        rows[t] = values[t];
    fmc_block block = {.count = count, .period_profit = rows};
    for (size_t b = 0; b < pilot_blocks; b++) {
        for (uint32_t t = 0; t < periods; t++)
            fill(t + 1, b, count, values[t]);
        type->pilot(state, (int)(b % (size_t)threads), &block);
    }
    REQUIRE(type->begin(state) == FMC_OK);
    for (size_t first = 0; first < blocks; first += round) {
        size_t in_round = blocks - first < round ? blocks - first : round;
        for (size_t slot = in_round; slot-- > 0;) {
            size_t b = first + slot;
            for (uint32_t t = 0; t < periods; t++)
                fill(t + 1, b, count, values[t]);
            block.first = b * count;
            type->add(state, (int)(b % (size_t)threads), slot, &block);
        }
        type->merge(state, in_round);
    }
    fmc_run_result result;
    memset(&result, 0, sizeof result);
    REQUIRE(type->finish(state, &result) == FMC_OK);
    type->free(state);
    *out = result.horizon;
}

/* Period t of sample i (i = 0 .. N - 1): i - 1000 t. */
static void fill_ramp(uint32_t t, size_t b, size_t count, double *x)
{
    for (size_t i = 0; i < count; i++)
        x[i] = (double)(b * count + i) - 1000.0 * t;
}

static void each_period_matches_closed_forms(void)
{
    enum { BLOCKS = 10, COUNT = 1000 };
    fmc_horizon_result r;
    run(fill_ramp, 6, 0.0, BLOCKS, COUNT, 1, BLOCKS, BLOCKS, &r);
    REQUIRE(r.periods == 6 && r.profit);
    CHECK_EXACT(r.discount_rate, 0.0);
    double n = BLOCKS * COUNT, z = 1.959963984540054;
    for (uint32_t t = 1; t <= 6; t++) {
        const fmc_output_summary *o = &r.profit[t - 1];
        double p = 1000.0 * t / n;
        CHECK(o->count == BLOCKS * COUNT);
        CHECK_NEAR(o->mean, (n - 1) / 2 - 1000.0 * t, 1e-9);
        CHECK_NEAR(o->sd, sqrt(n * (n + 1) / 12), 1e-9);
        CHECK_NEAR(o->se, sqrt((n + 1) / 12), 1e-12);
        CHECK_NEAR(o->mean_ci[1] - o->mean, z * o->se, 1e-9);
        CHECK_NEAR(o->p_loss, p, 1e-15);
        CHECK_NEAR(o->p_loss_se, sqrt(p * (1 - p) / n), 1e-15);
        CHECK_NEAR(o->quantiles[4], (n - 1) / 2 - 1000.0 * t, o->quantile_resolution + 1);
    }
    fmc_horizon_result_clear(&r);
    CHECK(r.periods == 0 && !r.profit && !r.payback.counts);
}

/* Five hand-made paths over three periods (samples 0 .. 4), repeated. */
static const double paths[5][3] = {
    {-100, 30, 90},     /* pays back in period 3, discounted or not */
    {-100, 200, -200},  /* positive, then not: never */
    {-100, 50, 55},     /* 5 > 0 in period 3, but -9.09 discounted at 10%: never */
    {10, -20, 30},      /* 10, -10, 20: from period 3 */
    {5, 1, 1},          /* from period 1 */
};

static void fill_paths(uint32_t t, size_t b, size_t count, double *x)
{
    for (size_t i = 0; i < count; i++)
        x[i] = paths[(b * count + i) % 5][t - 1];
}

static void payback_counts_hand_made_paths(void)
{
    fmc_horizon_result r;
    run(fill_paths, 3, 0.0, 4, 5, 2, 3, 1, &r);
    const fmc_payback_summary *p = &r.payback;
    REQUIRE(p->periods == 3 && p->counts);
    CHECK(p->counts[0] == 4 && p->counts[1] == 0 && p->counts[2] == 12 && p->counts[3] == 4);
    CHECK(p->total == 20);
    CHECK_EXACT(p->median, 3);
    CHECK_NEAR(p->p_never, 0.2, 1e-15);
    CHECK_NEAR(p->p_never_se, sqrt(0.2 * 0.8 / 20), 1e-15);
    fmc_horizon_result_clear(&r);

    run(fill_paths, 3, 0.1, 4, 5, 2, 3, 1, &r);  /* discounting: path 2 never pays back */
    CHECK(r.payback.counts[2] == 8 && r.payback.counts[3] == 8);
    CHECK_NEAR(r.payback.p_never, 0.4, 1e-15);
    fmc_horizon_result_clear(&r);
}

static void four_period_path_pays_back_in_its_fourth(void)
{
    const double flows[4][1] = {{-100}, {30}, {30}, {50}};
    const double *rows[4] = {flows[0], flows[1], flows[2], flows[3]};
    uint32_t payback = 0;
    fmc_horizon_payback(0.0, 4, rows, 1, &payback);
    CHECK(payback == 4);
    fmc_horizon_payback(0.0, 3, rows, 1, &payback);  /* -40 after three: never */
    CHECK(payback == 4);
    fmc_horizon_payback(0.05, 4, rows, 1, &payback);  /* 30/1.05 + 30/1.1025 + 50/1.157625 < 100 */
    CHECK(payback == 5);
}

static void median_and_interval_from_known_counts(void)
{
    /* n = 100: cumulative 10, 45, 55, 80, 95; the median at rank 50, its
     * interval at ranks floor(50 - 9.8) = 40 and ceil(50 + 9.8) = 60 */
    const uint64_t counts[6] = {10, 35, 10, 25, 15, 5};
    fmc_payback_summary s;
    REQUIRE(fmc_payback_summarize(counts, 5, 0.95, &s) == FMC_OK);
    CHECK(s.total == 100 && s.periods == 5 && s.counts != counts && s.counts[5] == 5);
    CHECK_EXACT(s.median, 3);
    CHECK_EXACT(s.median_ci[0], 2);
    CHECK_EXACT(s.median_ci[1], 4);
    CHECK_NEAR(s.p_never, 0.05, 1e-15);
    CHECK_NEAR(s.p_never_se, sqrt(0.05 * 0.95 / 100), 1e-15);
    fmc_payback_summary_clear(&s);
    CHECK(!s.counts && s.total == 0);

    const uint64_t mostly_never[3] = {45, 0, 55};  /* rank 50 is "never", rank 40 is not */
    REQUIRE(fmc_payback_summarize(mostly_never, 2, 0.95, &s) == FMC_OK);
    CHECK(isinf(s.median) && s.median > 0);
    CHECK_EXACT(s.median_ci[0], 1);
    CHECK(isinf(s.median_ci[1]));
    fmc_payback_summary_clear(&s);

    const uint64_t odd[3] = {2, 0, 1};  /* n = 3: rank ceil(3/2) = 2 */
    REQUIRE(fmc_payback_summarize(odd, 2, 0.95, &s) == FMC_OK);
    CHECK_EXACT(s.median, 1);
    CHECK_EXACT(s.median_ci[0], 1);  /* ranks clamped to 1 .. n */
    CHECK(isinf(s.median_ci[1]));
    fmc_payback_summary_clear(&s);

    const uint64_t none[2] = {0, 0};
    REQUIRE(fmc_payback_summarize(none, 1, 0.95, &s) == FMC_OK);
    CHECK(isnan(s.median) && isnan(s.p_never));
    fmc_payback_summary_clear(&s);
    fmc_payback_summary_clear(NULL);
}

/* Period t of sample k: a hashed draw in [-1, 1) x 100, plus 15 t - 95. */
static void fill_noise(uint32_t t, size_t b, size_t count, double *x)
{
    for (size_t i = 0; i < count; i++) {
        uint64_t h = (b * count + i) * 0x9e3779b97f4a7c15u ^ (uint64_t)t * 0xbf58476d1ce4e5b9u;
        h ^= h >> 31;
        h *= 0x94d049bb133111ebu;
        h ^= h >> 29;
        x[i] = ((double)(h >> 11) / 9007199254740992.0 * 2 - 1) * 100 + 15.0 * t - 95;
    }
}

static int same_horizon(const fmc_horizon_result *a, const fmc_horizon_result *b)
{
    if (a->periods != b->periods || !same_summaries(a->profit, b->profit, a->periods))
        return 0;
    return memcmp(a->payback.counts, b->payback.counts,
                  (a->periods + 1) * sizeof *a->payback.counts) == 0 &&
           memcmp(&a->payback.median, &b->payback.median, 5 * sizeof(double)) == 0;
}

static void result_is_the_same_for_threads_and_rounds(void)
{
    fmc_horizon_result one, three, short_rounds;
    run(fill_noise, 12, 0.01, 9, 700, 1, 9, 2, &one);
    run(fill_noise, 12, 0.01, 9, 700, 3, 9, 2, &three);
    run(fill_noise, 12, 0.01, 9, 700, 2, 4, 2, &short_rounds);
    CHECK(one.payback.total == 9 * 700);
    size_t used = 0;  /* the data pay back in many periods, and some never */
    for (size_t t = 0; t <= 12; t++)
        used += one.payback.counts[t] > 0;
    CHECK(used >= 6 && one.payback.counts[12] > 0);
    CHECK(same_horizon(&one, &three));
    CHECK(same_horizon(&one, &short_rounds));
    fmc_horizon_result_clear(&one);
    fmc_horizon_result_clear(&three);
    fmc_horizon_result_clear(&short_rounds);
}

static void no_horizon_no_state(void)
{
    fmc_scenario scenario = {.confidence = 0.95};
    fmc_run_setup setup = {.scenario = &scenario, .samples = 10, .threads = 1, .round_blocks = 1};
    void *state = &scenario;
    CHECK(fmc_horizon_accumulator.alloc(&setup, &state) == FMC_OK);
    CHECK(state == NULL);
    fmc_horizon_accumulator.free(NULL);
    fmc_horizon_result_clear(NULL);
}

TEST_MAIN_BEGIN
RUN_TEST(each_period_matches_closed_forms);
RUN_TEST(payback_counts_hand_made_paths);
RUN_TEST(four_period_path_pays_back_in_its_fourth);
RUN_TEST(median_and_interval_from_known_counts);
RUN_TEST(result_is_the_same_for_threads_and_rounds);
RUN_TEST(no_horizon_no_state);
TEST_MAIN_END
