/* Sampling designs: mc is the stream's words bit for bit; every word is a
 * function of (seed, design, slot, sample) alone; lhs stratifies every
 * column exactly and jitters uniformly; qmc's unscrambled points are Joe
 * and Kuo's Sobol' points, and Owen's scrambling keeps their net
 * structure, makes each coordinate uniform and leaves the variance of a
 * smooth integrand far below Monte Carlo's; dimensions beyond the table
 * are Latin hypercube columns.  Ends with a timing printout (words per
 * second of each design; not a check). */
#define _POSIX_C_SOURCE 200809L  /* clock_gettime, CLOCK_THREAD_CPUTIME_ID */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"
#include "funnelmc/design.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"

enum { MAX_SLOTS = 16 };

/* SLOTS columns of COUNT words each (slot NULL_SLOT, if below SLOTS, is a
 * constant: NULL). */
typedef struct columns {
    uint32_t *words[MAX_SLOTS];
    size_t slots, count;
} columns;

static columns columns_alloc(size_t slots, size_t count, size_t null_slot)
{
    columns c = {{0}, slots, count};
    for (size_t k = 0; k < slots; k++)
        if (k != null_slot) {
            c.words[k] = malloc(count * sizeof *c.words[k]);
            REQUIRE(c.words[k]);
        }
    return c;
}

static void columns_free(columns *c)
{
    for (size_t k = 0; k < c->slots; k++)
        free(c->words[k]);
}

static fmc_design design_of(fmc_design_method method, uint32_t replicates, uint64_t points)
{
    fmc_design design = {method, replicates, points};
    return design;
}

/* Fills C with samples FIRST .. of DESIGN in pieces ending at CUTS[0 ..
 * CUT_COUNT - 1] (the last cut is C's count). */
static void fill_in_pieces(const fmc_design *design, uint64_t seed, const fmc_design_slots *at,
                           uint64_t first, columns *c, const size_t *cuts, size_t cut_count)
{
    size_t start = 0;
    for (size_t p = 0; p < cut_count; p++) {
        uint32_t *piece[MAX_SLOTS];
        for (size_t k = 0; k < c->slots; k++)
            piece[k] = c->words[k] ? c->words[k] + start : NULL;
        fmc_design_fill(design, seed, at, first + start, cuts[p] - start, c->slots, piece);
        start = cuts[p];
    }
}

/* The stratum of WORD's uniform among N equal strata: floor((w + 1/2) n
 * 2^-32), exact in 64 bits (w n + floor(n / 2) cannot pass a multiple of
 * 2^32 that w n + n / 2 does not). */
static uint64_t stratum_of_word(uint32_t word, uint64_t n)
{
    return ((uint64_t)word * n + n / 2) >> 32;
}

/* Whether WORDS[0 .. N - 1] put one point in each of N strata. */
static int one_in_each_stratum(const uint32_t *words, uint64_t n)
{
    unsigned char *seen = calloc(n, 1);
    REQUIRE(seen);
    int ok = 1;
    for (uint64_t i = 0; i < n && ok; i++) {
        uint64_t s = stratum_of_word(words[i], n);
        ok = s < n && !seen[s];
        seen[s] = 1;
    }
    free(seen);
    return ok;
}

static void names_and_methods_correspond(void)
{
    for (int method = FMC_DESIGN_MC; method <= FMC_DESIGN_QMC; method++)
        CHECK(fmc_design_find(fmc_design_name((fmc_design_method)method)) == method);
    CHECK(fmc_design_find("lhs") == FMC_DESIGN_LHS);
    CHECK(fmc_design_find("sobol") == -1);
    CHECK(fmc_design_find("") == -1);
}

static void mc_words_are_the_stream_words_bit_for_bit(void)
{
    enum { SLOTS = 10, N = 777 };
    const uint32_t purposes[] = {FMC_PURPOSE_SAMPLES, FMC_PURPOSE_SOBOL_B, 0x8000abcdu};
    const uint32_t periods[] = {1, 2, 5};
    fmc_design mc = design_of(FMC_DESIGN_MC, 1, 0);
    columns design = columns_alloc(SLOTS, N, 3), stream = columns_alloc(SLOTS, N, 3);
    for (int p = 0; p < 3; p++)
        for (int t = 0; t < 3; t++) {
            fmc_design_slots at = {purposes[p], periods[t], 40};
            fmc_design_fill(&mc, 2385, &at, 12345, N, SLOTS, design.words);
            fmc_stream_fill_period(2385, purposes[p], periods[t], 12345, N, SLOTS, stream.words);
            for (int k = 0; k < SLOTS; k++)
                if (k != 3)
                    CHECK(memcmp(design.words[k], stream.words[k], N * sizeof(uint32_t)) == 0);
        }
    columns_free(&design);
    columns_free(&stream);
}

/* One design against itself: the whole range at once, in uneven pieces
 * (short pieces scramble point by point, long ones through a table), and
 * one word at a time. */
static void check_cuts_agree(const fmc_design *design, uint32_t dimension0, uint64_t first)
{
    enum { SLOTS = 6, N = 9000 };
    fmc_design_slots at = {FMC_PURPOSE_SOBOL_A, 2, dimension0};
    columns whole = columns_alloc(SLOTS, N, 2), pieces = columns_alloc(SLOTS, N, 2);
    fmc_design_fill(design, 77, &at, first, N, SLOTS, whole.words);
    const size_t cuts[] = {1, 38, 100, 1000, 3500, 3600, 7700, N};
    fill_in_pieces(design, 77, &at, first, &pieces, cuts, sizeof cuts / sizeof *cuts);
    for (int k = 0; k < SLOTS; k++) {
        if (k == 2)
            continue;
        CHECK(memcmp(whole.words[k], pieces.words[k], N * sizeof(uint32_t)) == 0);
        for (size_t i = 0; i < N; i += 611) {
            uint32_t one, *single[SLOTS] = {0};
            single[k] = &one;
            fmc_design_fill(design, 77, &at, first + i, 1, SLOTS, single);
            CHECK(one == whole.words[k][i]);
        }
    }
    columns_free(&whole);
    columns_free(&pieces);
}

static void words_do_not_depend_on_how_samples_are_cut(void)
{
    /* replicates of 100, 1000, 4096 and 2^20 points: scrambles of 7, 10,
     * 12 and 20 levels, runs that cross replicates */
    const uint64_t points[] = {100, 1000, 4096, UINT64_C(1) << 20};
    for (int p = 0; p < 4; p++) {
        fmc_design lhs = design_of(FMC_DESIGN_LHS, 16, points[p]);
        fmc_design qmc = design_of(FMC_DESIGN_QMC, 16, points[p]);
        check_cuts_agree(&lhs, 3, 2 * points[p] - 700);
        check_cuts_agree(&qmc, 3, 2 * points[p] - 700);
        /* slots on both sides of the end of the Sobol' table */
        check_cuts_agree(&qmc, fmc_design_qmc_dimensions - 3, 5 * points[p] + 11);
    }
}

/* Fills SLOTS columns of the N points of REPLICATE under DESIGN, as the
 * engine does, in blocks of 4096. */
static columns replicate_points(const fmc_design *design, uint64_t seed, uint32_t dimension0,
                                size_t slots, uint64_t replicate)
{
    uint64_t n = design->points;
    columns c = columns_alloc(slots, n, slots);
    fmc_design_slots at = {FMC_PURPOSE_SAMPLES, 1, dimension0};
    for (uint64_t done = 0; done < n; done += 4096) {
        uint32_t *block[MAX_SLOTS];
        for (size_t k = 0; k < slots; k++)
            block[k] = c.words[k] + done;
        size_t count = n - done < 4096 ? (size_t)(n - done) : 4096;
        fmc_design_fill(design, seed, &at, replicate * n + done, count, slots, block);
    }
    return c;
}

static void lhs_puts_one_point_in_each_stratum_of_every_column(void)
{
    const uint64_t points[] = {1000, 4096, 100003};
    for (int p = 0; p < 3; p++) {
        fmc_design lhs = design_of(FMC_DESIGN_LHS, 8, points[p]);
        for (uint64_t r = 0; r < 8; r += 5) {
            columns c = replicate_points(&lhs, 31, 7, 3, r);
            for (size_t k = 0; k < 3; k++)
                CHECK(one_in_each_stratum(c.words[k], points[p]));
            columns_free(&c);
        }
    }
}

/* How many points two columns put in the same stratum. */
static size_t coincidences(const uint32_t *a, const uint32_t *b, uint64_t n)
{
    size_t same = 0;
    for (uint64_t i = 0; i < n; i++)
        same += stratum_of_word(a[i], n) == stratum_of_word(b[i], n);
    return same;
}

static void lhs_permutations_differ_between_replicates_and_dimensions(void)
{
    /* two independent random permutations of n agree at Poisson(1) places:
     * 12 or more has probability 1e-9 */
    const uint64_t n = 4096;
    fmc_design lhs = design_of(FMC_DESIGN_LHS, 4, n);
    columns r0 = replicate_points(&lhs, 5, 0, 2, 0), r1 = replicate_points(&lhs, 5, 0, 2, 1);
    CHECK(coincidences(r0.words[0], r0.words[1], n) < 12);
    CHECK(coincidences(r0.words[0], r1.words[0], n) < 12);
    CHECK(coincidences(r0.words[1], r1.words[1], n) < 12);
    /* nor the identity: point i in stratum i */
    size_t in_place = 0;
    for (uint64_t i = 0; i < n; i++)
        in_place += stratum_of_word(r0.words[0][i], n) == i;
    CHECK(in_place < 12);
    columns_free(&r0);
    columns_free(&r1);
}

static void lhs_permutations_of_few_points_are_uniform(void)
{
    /* over many replicates each of the n! orders of n points' strata comes
     * up equally often: chi-square with n! - 1 degrees of freedom, below
     * its 0.999 quantile (20.5 for 5, 49.7 for 23) */
    const uint64_t points[2] = {3, 4};
    const double limits[2] = {20.5, 49.7};
    for (int p = 0; p < 2; p++) {
        uint64_t n = points[p], orders = n == 3 ? 6 : 24, replicates = 1000 * orders;
        fmc_design lhs = design_of(FMC_DESIGN_LHS, (uint32_t)replicates, n);
        fmc_design_slots at = {FMC_PURPOSE_SAMPLES, 1, 12};
        uint32_t *words = malloc(replicates * n * sizeof *words);
        REQUIRE(words);
        fmc_design_fill(&lhs, 555, &at, 0, replicates * n, 1, &words);
        size_t count[256] = {0};
        for (uint64_t r = 0; r < replicates; r++) {
            size_t order = 0;
            for (uint64_t i = 0; i < n; i++)
                order = 4 * order + stratum_of_word(words[r * n + i], n);
            count[order]++;
        }
        double chi2 = 0;
        size_t seen = 0;
        for (size_t order = 0; order < 256; order++)
            if (count[order]) {
                seen++;
                chi2 += (count[order] - 1000.0) * (count[order] - 1000.0) / 1000.0;
            }
        CHECK(seen == orders);
        CHECK(chi2 < limits[p]);
        free(words);
    }
}

static void lhs_strata_of_neighbouring_points_are_independent(void)
{
    /* points 0 and 1 of n = 1000 (a Feistel network, not a shuffled table)
     * over a million replicates: the stratum of point 0 and the distance
     * to point 1's are uniform (chi-square on 999 and 998 degrees of
     * freedom, below the 0.999 quantiles 1142.8 and 1141.8) */
    enum { N = 1000, R = 1000000 };
    fmc_design lhs = design_of(FMC_DESIGN_LHS, R, N);
    fmc_design_slots at = {FMC_PURPOSE_SAMPLES, 1, 2};
    double *first = calloc(N, sizeof *first), *distance = calloc(N, sizeof *distance);
    REQUIRE(first && distance);
    for (uint64_t r = 0; r < R; r++) {
        uint32_t pair[2], *words = pair;
        fmc_design_fill(&lhs, 61, &at, r * N, 2, 1, &words);
        uint64_t s0 = stratum_of_word(pair[0], N), s1 = stratum_of_word(pair[1], N);
        first[s0]++;
        distance[(s1 + N - s0) % N]++;
    }
    double chi2_first = 0, chi2_distance = 0;
    for (int s = 0; s < N; s++) {
        chi2_first += (first[s] - R / N) * (first[s] - R / N) / (R / N);
        if (s)
            chi2_distance += (distance[s] - R / (N - 1.0)) * (distance[s] - R / (N - 1.0)) / (R / (N - 1.0));
    }
    CHECK(distance[0] == 0);
    CHECK(chi2_first < 1142.8);
    CHECK(chi2_distance < 1141.8);
    free(first);
    free(distance);
}

static void lhs_of_one_point_per_replicate_is_monte_carlo(void)
{
    enum { SLOTS = 5, N = 3000 };
    fmc_design lhs = design_of(FMC_DESIGN_LHS, 1, 1), mc = design_of(FMC_DESIGN_MC, 1, 0);
    fmc_design_slots at = {FMC_PURPOSE_SAMPLES, 1, 0};
    columns a = columns_alloc(SLOTS, N, SLOTS), b = columns_alloc(SLOTS, N, SLOTS);
    fmc_design_fill(&lhs, 8, &at, 1000, N, SLOTS, a.words);
    fmc_design_fill(&mc, 8, &at, 1000, N, SLOTS, b.words);
    for (int k = 0; k < SLOTS; k++)
        CHECK(memcmp(a.words[k], b.words[k], N * sizeof(uint32_t)) == 0);
    columns_free(&a);
    columns_free(&b);
}

static void lhs_jitter_is_uniform_within_the_strata(void)
{
    const uint64_t points[] = {1000, 4096, 100003};
    for (int p = 0; p < 3; p++) {
        uint64_t n = points[p];
        fmc_design lhs = design_of(FMC_DESIGN_LHS, 2, n);
        columns c = replicate_points(&lhs, 1234, 20, 4, 1);
        for (size_t k = 0; k < 4; k++) {
            double sum = 0, offsets = 0, squares = 0;
            for (uint64_t i = 0; i < n; i++) {
                double u = fmc_word_to_uniform(c.words[k][i]);
                double offset = u * (double)n - (double)stratum_of_word(c.words[k][i], n);
                sum += u;
                offsets += offset;
                squares += (offset - 0.5) * (offset - 0.5);
            }
            /* the mean of one point per stratum, each uniform in its
             * stratum: 1/2 with variance 1 / (12 n^3) */
            CHECK_NEAR(sum / (double)n, 0.5, 4.5 / sqrt(12.0 * (double)n * (double)n * (double)n));
            /* the place within the stratum: U(0, 1) */
            CHECK_NEAR(offsets / (double)n, 0.5, 4.5 / sqrt(12.0 * (double)n));
            CHECK_NEAR(squares / (double)n, 1.0 / 12, 4.5 / sqrt(180.0 * (double)n));
        }
        columns_free(&c);
    }
}

static void sobol_points_are_joe_and_kuos_in_natural_order(void)
{
    /* dimension 1 (s = 1, m_1 = 1: v_k = 3^k carry-less, over 2^k): points
     * 0 .. 7 in natural order */
    const double first[8] = {0, 0.5, 0.75, 0.25, 0.625, 0.125, 0.375, 0.875};
    for (uint32_t i = 0; i < 8; i++)
        CHECK_EXACT(fmc_design_sobol(1, i) * 0x1p-32, first[i]);
    /* known answers: SciPy 1.10.1's independent implementation of the same
     * table, scipy.stats.qmc.Sobol(4096, scramble=False, bits=32), whose
     * point k in Gray-code order is natural point k ^ (k >> 1) */
    const uint32_t dimensions[8] = {0, 1, 2, 3, 10, 100, 1000, 4095};
    const uint32_t points[5] = {5, 1000, 4095, 65535, 1234567};
    const uint32_t known[5][8] = {
        {0xa0000000, 0x20000000, 0xe0000000, 0xa0000000, 0x20000000, 0xe0000000, 0xa0000000,
         0x20000000},
        {0x17c00000, 0x29400000, 0x73400000, 0xe8c00000, 0x3b400000, 0xa8400000, 0x29400000,
         0xc6c00000},
        {0xfff00000, 0x11100000, 0x00b00000, 0xcff00000, 0xbd300000, 0xa8300000, 0xd2700000,
         0x34900000},
        {0xffff0000, 0x00010000, 0xb0ff0000, 0x42f30000, 0x9e690000, 0x65a10000, 0x7fa90000,
         0x96b70000},
        {0xe16b4800, 0xeabd4800, 0xd3db2800, 0x476dc800, 0xae774800, 0x61c47800, 0x7a5d4800,
         0xd05d9800},
    };
    for (int p = 0; p < 5; p++)
        for (int d = 0; d < 8; d++)
            CHECK(fmc_design_sobol(dimensions[d], points[p]) == known[p][d]);
    CHECK(fmc_design_qmc_dimensions == 4096);
    /* a digital net: point a ^ b is point a ^ point b, also in the bits
     * beyond those the known answers reach */
    const uint32_t a = 0x9e3779b9u, b = 0x7f4a7c15u;
    for (uint32_t d = 0; d < 4096; d += 273)
        CHECK(fmc_design_sobol(d, a ^ b) == (fmc_design_sobol(d, a) ^ fmc_design_sobol(d, b)));
}

static void qmc_first_bits_of_each_replicate_take_every_value_once(void)
{
    /* a (0, m, 1)-net in every dimension, which Owen's scrambling keeps */
    const unsigned bits[2] = {10, 12};
    for (int b = 0; b < 2; b++) {
        uint64_t n = UINT64_C(1) << bits[b];
        fmc_design qmc = design_of(FMC_DESIGN_QMC, 4, n);
        for (uint64_t r = 0; r < 3; r++) {
            columns low = replicate_points(&qmc, 99, 0, 8, r);
            columns high = replicate_points(&qmc, 99, fmc_design_qmc_dimensions - 4, 4, r);
            for (size_t k = 0; k < 8; k++)
                CHECK(one_in_each_stratum(low.words[k], n));
            for (size_t k = 0; k < 4; k++)
                CHECK(one_in_each_stratum(high.words[k], n));
            columns_free(&low);
            columns_free(&high);
        }
    }
}

/* The smallest t for which the 2^m points (X, Y) are a (t, m, 2)-net:
 * every elementary box of 2^-a by 2^-b, a + b = m - t, holds 2^t points. */
static unsigned net_quality(const uint32_t *x, const uint32_t *y, unsigned m)
{
    size_t *count = malloc(((size_t)1 << m) * sizeof *count);
    REQUIRE(count);
    unsigned t = 0;
    for (;; t++) {
        int net = 1;
        for (unsigned a = 0; a <= m - t && net; a++) {
            unsigned b = m - t - a;
            memset(count, 0, ((size_t)1 << (m - t)) * sizeof *count);
            for (size_t i = 0; i < (size_t)1 << m; i++) {
                size_t row = a ? x[i] >> (32 - a) : 0, column = b ? y[i] >> (32 - b) : 0;
                count[row << b | column]++;
            }
            for (size_t box = 0; box < (size_t)1 << (m - t) && net; box++)
                net = count[box] == (size_t)1 << t;
        }
        if (net)
            break;
    }
    free(count);
    return t;
}

static void qmc_scrambling_keeps_the_quality_of_two_dimensional_nets(void)
{
    enum { M = 10, N = 1 << M };
    const uint32_t pairs[][2] = {{0, 1}, {1, 2}, {2, 3}, {4, 7}, {100, 101}, {3000, 4000}};
    fmc_design qmc = design_of(FMC_DESIGN_QMC, 2, N);
    uint32_t *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    REQUIRE(x && y);
    for (size_t p = 0; p < sizeof pairs / sizeof *pairs; p++) {
        for (uint32_t i = 0; i < N; i++) {
            x[i] = fmc_design_sobol(pairs[p][0], i);
            y[i] = fmc_design_sobol(pairs[p][1], i);
        }
        unsigned t = net_quality(x, y, M);
        if (p == 0)
            CHECK(t == 0);  /* the first two Sobol' dimensions: a (0, m, 2)-net */
        for (uint64_t r = 0; r < 2; r++) {
            fmc_design_slots at = {FMC_PURPOSE_SAMPLES, 1, pairs[p][0]};
            uint32_t *first[1] = {x};
            fmc_design_fill(&qmc, 17, &at, r * N, N, 1, first);
            at.dimension0 = pairs[p][1];
            first[0] = y;
            fmc_design_fill(&qmc, 17, &at, r * N, N, 1, first);
            CHECK(net_quality(x, y, M) == t);
        }
    }
    free(x);
    free(y);
}

static void qmc_means_of_a_smooth_integrand_vary_far_less_than_monte_carlo(void)
{
    /* f(u) = prod_d (1 + (u_d - 1/2)) over 5 dimensions: mean 1, variance
     * (13/12)^5 - 1, so the Monte Carlo mean of n points varies by that / n */
    enum { D = 5, R = 32, N = 4096 };
    fmc_design qmc = design_of(FMC_DESIGN_QMC, R, N);
    double means[R], sum = 0;
    for (uint64_t r = 0; r < R; r++) {
        columns c = replicate_points(&qmc, 2024, 6, D, r);
        double total = 0;
        for (size_t i = 0; i < N; i++) {
            double f = 1;
            for (size_t d = 0; d < D; d++)
                f *= 0.5 + fmc_word_to_uniform(c.words[d][i]);
            total += f;
        }
        means[r] = total / N;
        sum += means[r];
        columns_free(&c);
    }
    double mean = sum / R, spread = 0;
    for (int r = 0; r < R; r++)
        spread += (means[r] - mean) * (means[r] - mean);
    double variance = spread / (R - 1);
    double mc_variance = (pow(13.0 / 12, D) - 1) / N;
    printf("     qmc replicate variance %.3g, Monte Carlo %.3g: %.0f times smaller\n", variance,
           mc_variance, mc_variance / variance);
    CHECK(100 * variance < mc_variance);
    CHECK_NEAR(mean, 1.0, 4.5 * sqrt(variance / R));
}

static void qmc_scrambled_coordinates_are_uniform(void)
{
    /* one point in many independent replicates: U(0, 1), in its top bits
     * (the scrambling tree) and its low bits (the hash below depth m) */
    enum { R = 4096, N = 8 };
    fmc_design qmc = design_of(FMC_DESIGN_QMC, R, N);
    const uint32_t dimensions[] = {0, 1, 9, 4095};
    const uint32_t points[] = {0, 5};
    for (int d = 0; d < 4; d++)
        for (int p = 0; p < 2; p++) {
            double sum = 0, squares = 0, low = 0;
            for (uint64_t r = 0; r < R; r++) {
                uint32_t word, *one[1] = {&word};
                fmc_design_slots at = {FMC_PURPOSE_SAMPLES, 1, dimensions[d]};
                fmc_design_fill(&qmc, 4, &at, r * N + points[p], 1, 1, one);
                double u = fmc_word_to_uniform(word);
                sum += u;
                squares += (u - 0.5) * (u - 0.5);
                low += (word & 0xffff) * 0x1p-16;
            }
            CHECK_NEAR(sum / R, 0.5, 4.5 / sqrt(12.0 * R));
            CHECK_NEAR(squares / R, 1.0 / 12, 4.5 / sqrt(180.0 * R));
            CHECK_NEAR(low / R, 0.5, 4.5 / sqrt(12.0 * R));
        }
}

static void qmc_dimensions_beyond_the_table_are_latin_hypercube_columns(void)
{
    const uint64_t n = 1000;
    uint32_t last = fmc_design_qmc_dimensions - 1;
    fmc_design qmc = design_of(FMC_DESIGN_QMC, 3, n), lhs = design_of(FMC_DESIGN_LHS, 3, n);
    columns q = replicate_points(&qmc, 6, last, 4, 2), l = replicate_points(&lhs, 6, last, 4, 2);
    /* slot 0 is the table's last dimension: 1000 Sobol' points, not one
     * per stratum of 1000 */
    CHECK(!one_in_each_stratum(q.words[0], n));
    for (size_t k = 1; k < 4; k++) {
        CHECK(one_in_each_stratum(q.words[k], n));
        CHECK(memcmp(q.words[k], l.words[k], n * sizeof(uint32_t)) == 0);
    }
    columns_free(&q);
    columns_free(&l);
}

/* Words per second of DESIGN, 8 slots in blocks of 4096 (thread CPU time,
 * so that other work on the machine does not count). */
static double words_per_second(const fmc_design *design)
{
    enum { SLOTS = 8, BLOCK = 4096, BLOCKS = 256 };
    columns c = columns_alloc(SLOTS, BLOCK, SLOTS);
    fmc_design_slots at = {FMC_PURPOSE_SAMPLES, 1, 0};
    struct timespec start, end;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start);
    for (uint64_t b = 0; b < BLOCKS; b++)
        fmc_design_fill(design, 3, &at, b * BLOCK, BLOCK, SLOTS, c.words);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end);
    columns_free(&c);
    double seconds = (double)(end.tv_sec - start.tv_sec) + 1e-9 * (double)(end.tv_nsec - start.tv_nsec);
    return (double)SLOTS * BLOCK * BLOCKS / seconds;
}

static void speed_of_each_design(void)
{
    const struct {
        const char *label;
        fmc_design design;
    } cases[] = {
        {"mc", {FMC_DESIGN_MC, 1, 0}},
        {"lhs n = 65536", {FMC_DESIGN_LHS, 16, 65536}},
        {"lhs n = 100003", {FMC_DESIGN_LHS, 16, 100003}},
        {"qmc n = 4096", {FMC_DESIGN_QMC, 256, 4096}},
        {"qmc n = 65536", {FMC_DESIGN_QMC, 16, 65536}},
        {"qmc n = 2^20", {FMC_DESIGN_QMC, 1, 1 << 20}},
    };
    double mc = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double rate = words_per_second(&cases[i].design);
        if (i == 0)
            mc = rate;
        printf("     %-16s %6.1f million words/s, %4.2f times mc's time\n", cases[i].label,
               rate / 1e6, mc / rate);
    }
}

TEST_MAIN_BEGIN
RUN_TEST(names_and_methods_correspond);
RUN_TEST(mc_words_are_the_stream_words_bit_for_bit);
RUN_TEST(words_do_not_depend_on_how_samples_are_cut);
RUN_TEST(lhs_puts_one_point_in_each_stratum_of_every_column);
RUN_TEST(lhs_permutations_differ_between_replicates_and_dimensions);
RUN_TEST(lhs_permutations_of_few_points_are_uniform);
RUN_TEST(lhs_strata_of_neighbouring_points_are_independent);
RUN_TEST(lhs_of_one_point_per_replicate_is_monte_carlo);
RUN_TEST(lhs_jitter_is_uniform_within_the_strata);
RUN_TEST(sobol_points_are_joe_and_kuos_in_natural_order);
RUN_TEST(qmc_first_bits_of_each_replicate_take_every_value_once);
RUN_TEST(qmc_scrambling_keeps_the_quality_of_two_dimensional_nets);
RUN_TEST(qmc_means_of_a_smooth_integrand_vary_far_less_than_monte_carlo);
RUN_TEST(qmc_scrambled_coordinates_are_uniform);
RUN_TEST(qmc_dimensions_beyond_the_table_are_latin_hypercube_columns);
RUN_TEST(speed_of_each_design);
TEST_MAIN_END
