#include "funnelmc/stream.h"

#include <Random123/philox.h>
#include "dispatch.h"

static philox4x32_key_t key_of(uint64_t seed)
{
    philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    return key;
}

static philox4x32_ctr_t counter_of(uint32_t purpose, uint64_t sample, uint32_t group)
{
    philox4x32_ctr_t ctr = {{(uint32_t)sample, (uint32_t)(sample >> 32), group, purpose}};
    return ctr;
}

uint32_t fmc_stream_word(uint64_t seed, uint32_t purpose, uint64_t sample, uint32_t slot)
{
    philox4x32_ctr_t out = philox4x32(counter_of(purpose, sample, slot / 4), key_of(seed));
    return out.v[slot % 4];
}

/* fmc_stream_fill with counter groups numbered from FIRST_GROUP. */
FMC_HOT_LOOP
static void fill_groups(uint64_t seed, uint32_t purpose, uint32_t first_group, uint64_t first,
                        size_t count, size_t slots, uint32_t *const *words)
{
    philox4x32_key_t key = key_of(seed);
    for (size_t group = 0; 4 * group < slots; group++) {
        uint32_t *lane[4] = {0};
        int wanted = 0;
        for (size_t j = 0; j < 4 && 4 * group + j < slots; j++) {
            lane[j] = words[4 * group + j];
            wanted |= lane[j] != 0;
        }
        if (!wanted)
            continue;
        /* Four full lanes is the common case: keep its loop free of tests. */
        if (lane[0] && lane[1] && lane[2] && lane[3]) {
            for (size_t i = 0; i < count; i++) {
                philox4x32_ctr_t out =
                    philox4x32(counter_of(purpose, first + i, first_group + (uint32_t)group), key);
                lane[0][i] = out.v[0];
                lane[1][i] = out.v[1];
                lane[2][i] = out.v[2];
                lane[3][i] = out.v[3];
            }
            continue;
        }
        for (size_t i = 0; i < count; i++) {
            philox4x32_ctr_t out =
                philox4x32(counter_of(purpose, first + i, first_group + (uint32_t)group), key);
            for (size_t j = 0; j < 4; j++)
                if (lane[j])
                    lane[j][i] = out.v[j];
        }
    }
}

void fmc_stream_fill(uint64_t seed, uint32_t purpose, uint64_t first, size_t count,
                     size_t slots, uint32_t *const *words)
{
    fill_groups(seed, purpose, 0, first, count, slots, words);
}

_Static_assert(FMC_PERIOD_SLOTS % 4 == 0, "a period's slots start a counter group");

void fmc_stream_fill_period(uint64_t seed, uint32_t purpose, uint32_t period, uint64_t first,
                            size_t count, size_t slots, uint32_t *const *words)
{
    fill_groups(seed, purpose, (period - 1) * (FMC_PERIOD_SLOTS / 4), first, count, slots, words);
}
