/* Random streams: the generator against Random123's published known-answer
 * vectors for Philox4x32-10, the documented layout of (seed, purpose,
 * sample, slot), and independence from how samples are cut into blocks. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "funnelmc/sampler.h"
#include "funnelmc/stream.h"

/* Philox4x32-10 known answers (Random123's kat_vectors): counter, key,
 * output.  (Its all-ones vector needs a counter group of 2^32 - 1, beyond
 * what a 32-bit slot reaches.) */
static const uint32_t known_answers[2][10] = {
    {0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
    {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
     0x94fdcceb, 0x5001e420, 0x24126ea1},
};

static void words_are_philox4x32_10_of_the_documented_counter_and_key(void)
{
    for (int v = 0; v < 2; v++) {
        const uint32_t *kat = known_answers[v];
        uint64_t sample = kat[0] | (uint64_t)kat[1] << 32;
        uint64_t seed = kat[4] | (uint64_t)kat[5] << 32;
        uint32_t group = kat[2], purpose = kat[3];
        for (uint32_t j = 0; j < 4; j++)
            CHECK(fmc_stream_word(seed, purpose, sample, 4 * group + j) == kat[6 + j]);
    }
}

static void fill_gives_the_same_words_however_samples_are_cut(void)
{
    enum { SLOTS = 10, N = 1000 };
    uint32_t *whole[SLOTS], *part[SLOTS];
    for (int j = 0; j < SLOTS; j++) {
        whole[j] = malloc(N * sizeof **whole);
        part[j] = j == 4 ? NULL : malloc(N * sizeof **part);  /* slot 4: a constant */
        REQUIRE(whole[j] && (j == 4 || part[j]));
    }
    fmc_stream_fill(2385, FMC_PURPOSE_SAMPLES, 5000, N, SLOTS, whole);
    /* the same samples in three uneven pieces */
    size_t cuts[] = {0, 37, 512, N};
    for (int c = 0; c < 3; c++) {
        uint32_t *at[SLOTS];
        for (int j = 0; j < SLOTS; j++)
            at[j] = part[j] ? part[j] + cuts[c] : NULL;
        fmc_stream_fill(2385, FMC_PURPOSE_SAMPLES, 5000 + cuts[c], cuts[c + 1] - cuts[c], SLOTS, at);
    }
    for (int j = 0; j < SLOTS; j++) {
        if (part[j])
            CHECK(memcmp(whole[j], part[j], N * sizeof **whole) == 0);
        for (int i = 0; i < N; i += 97)
            CHECK(whole[j][i] == fmc_stream_word(2385, FMC_PURPOSE_SAMPLES, 5000 + (uint64_t)i, (uint32_t)j));
    }
    for (int j = 0; j < SLOTS; j++) {
        free(whole[j]);
        free(part[j]);
    }
}

static void seeds_purposes_samples_and_slots_give_distinct_streams(void)
{
    uint32_t base = fmc_stream_word(7, 0, 100, 2);
    CHECK(fmc_stream_word(8, 0, 100, 2) != base);
    CHECK(fmc_stream_word(7, 1, 100, 2) != base);
    CHECK(fmc_stream_word(7, 0, 101, 2) != base);
    CHECK(fmc_stream_word(7, 0, 100, 3) != base);
    CHECK(fmc_stream_word(7, 0, 100, 6) != base);
    /* samples past 2^32 use the counter's second word */
    CHECK(fmc_stream_word(7, 0, 100 + (UINT64_C(1) << 32), 2) != base);
}

static void uniforms_of_each_slot_have_mean_one_half_and_variance_one_twelfth(void)
{
    enum { SLOTS = 6, N = 1 << 20 };
    uint32_t *words[SLOTS];
    for (int j = 0; j < SLOTS; j++) {
        words[j] = malloc(N * sizeof **words);
        REQUIRE(words[j]);
    }
    fmc_stream_fill(99, FMC_PURPOSE_SAMPLES, 0, N, SLOTS, words);
    for (int j = 0; j < SLOTS; j++) {
        double sum = 0, squares = 0;
        for (int i = 0; i < N; i++) {
            double u = fmc_word_to_uniform(words[j][i]);
            sum += u;
            squares += (u - 0.5) * (u - 0.5);
        }
        /* sd of U(0,1) is 1/sqrt(12); of (U - 1/2)^2 it is 1/sqrt(180) */
        CHECK_NEAR(sum / N, 0.5, 5 / sqrt(12.0 * N));
        CHECK_NEAR(squares / N, 1.0 / 12, 5 / sqrt(180.0 * N));
        free(words[j]);
    }
}

TEST_MAIN_BEGIN
RUN_TEST(words_are_philox4x32_10_of_the_documented_counter_and_key);
RUN_TEST(fill_gives_the_same_words_however_samples_are_cut);
RUN_TEST(seeds_purposes_samples_and_slots_give_distinct_streams);
RUN_TEST(uniforms_of_each_slot_have_mean_one_half_and_variance_one_twelfth);
TEST_MAIN_END
