/* Sampling designs (design.h): plain Monte Carlo, Latin hypercube columns
 * and Owen-scrambled Sobol' points, every word a pure function of (seed,
 * design, dimension, slot, sample).
 *
 * Latin hypercube (McKay, Beckman and Conover, Technometrics 21, 239-245,
 * 1979): point i of a replicate of n lies in stratum pi(i) of [0, 1), for
 * a keyed pseudo-random permutation pi of [0, n): an eight-round Feistel
 * network on the smallest domain 2^k >= n, walked along its cycle until it
 * lands below n (cycle walking, Black and Rogaway, "Ciphers with arbitrary
 * finite domains", CT-RSA 2002), so pi(i) needs no table; a few points
 * (n <= 256) are shuffled in a small table instead.
 *
 * Sobol' points (Sobol', USSR Comput. Math. Math. Phys. 7, 86-112, 1967)
 * in natural order: coordinate x_i = XOR of v_k over the set bits k of i,
 * direction numbers v_k from Joe and Kuo's table (design_directions.c).
 * Owen's nested uniform scrambling (Owen, "Randomly permuted (t,m,s)-nets
 * and (t,s)-sequences", in Monte Carlo and Quasi-Monte Carlo Methods in
 * Scientific Computing, Springer 1995, 299-317): bit d of x (from the top)
 * is flipped by a random bit owned by the node "x's top d bits" of a
 * binary tree, one independent bit per node, so points that share a
 * prefix share its flips.  Hash-based, as Burley ("Practical hash-based
 * Owen scrambling", JCGT 9(4), 2020), but exact: each node's bit is a bit
 * of a hash, never a shortcut that only imitates the tree. */
#include "funnelmc/design.h"

#include <string.h>
#include "design_directions.h"
#include "funnelmc/stream.h"

static const char *const method_names[] = {"mc", "lhs", "qmc"};

const char *fmc_design_name(fmc_design_method method)
{
    return method_names[method];
}

int fmc_design_find(const char *name)
{
    for (int method = 0; method < (int)(sizeof method_names / sizeof *method_names); method++)
        if (strcmp(name, method_names[method]) == 0)
            return method;
    return -1;
}

/* Stafford's 64-bit mixer "Mix13" ("Better bit mixing", 2011; the
 * finaliser of SplitMix64): a bijection whose every output bit depends on
 * every input bit, so hashes of distinct inputs under one random key serve
 * as independent random words. */
static uint64_t mix(uint64_t z)
{
    z = (z ^ z >> 30) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ z >> 27) * UINT64_C(0x94d049bb133111eb);
    return z ^ z >> 31;
}

/* Tags of the hashed inputs tag << 32 | value, so that no two uses of one
 * key hash the same input: a Sobol' chunk c (c <= 5) has tag c. */
enum { TAIL_TAG = 6, SHUFFLE_TAG = 7, ROUND_TAG = 8 };

/* The key of one dimension's randomisation (a permutation or a scramble)
 * in one replicate: 64 Philox bits of their own purpose, so keys of
 * distinct (dimension, replicate) are independent. */
static uint64_t design_key(uint64_t seed, uint32_t dimension, uint64_t replicate)
{
    uint32_t low = fmc_stream_word(seed, FMC_PURPOSE_DESIGN, replicate, 2 * dimension);
    uint32_t high = fmc_stream_word(seed, FMC_PURPOSE_DESIGN, replicate, 2 * dimension + 1);
    return (uint64_t)high << 32 | low;
}

/* One dimension's words for COUNT consecutive points from POINT of one
 * replicate, randomised by KEY.  COLUMN holds what the dimension needs
 * whatever the replicate. */
typedef void column_run(const void *column, uint64_t key, uint32_t point, size_t count,
                        uint32_t *words);

/* WORDS[i] for samples FIRST + i of DIMENSION, i < COUNT, cut into runs
 * that each stay within one replicate of N points. */
static void fill_column(column_run *run, const void *column, uint64_t n, uint64_t seed,
                        uint32_t dimension, uint64_t first, size_t count, uint32_t *words)
{
    for (size_t done = 0; done < count;) {
        uint64_t sample = first + done;
        uint64_t point = sample % n;
        size_t length = count - done;
        if (length > n - point)
            length = (size_t)(n - point);
        run(column, design_key(seed, dimension, sample / n), (uint32_t)point, length, words + done);
        done += length;
    }
}

/* ---- Latin hypercube columns ---- */

/* Wellons's 32-bit integer hash "lowbias32" (hash-prospector, 2018): a
 * bijection with low bias, the round function of the permutation. */
static uint32_t hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= UINT32_C(0x7feb352d);
    x ^= x >> 15;
    x *= UINT32_C(0x846ca68b);
    return x ^ x >> 16;
}

typedef struct lhs_column {
    uint32_t n;
    unsigned bits;               /* the permutation's domain is 2^bits >= n */
    uint64_t words_per_stratum;  /* q0 = floor(2^32 / n): a stratum has q0 or q0 + 1 words */
    uint64_t spare_words;        /* r0 = 2^32 mod n */
    double reciprocal;           /* 1 / n, rounded */
} lhs_column;

static lhs_column lhs_column_of(uint64_t n)
{
    lhs_column column = {(uint32_t)n, 0, (UINT64_C(1) << 32) / n, (UINT64_C(1) << 32) % n,
                         1.0 / (double)n};
    while ((UINT64_C(1) << column.bits) < n)
        column.bits++;
    return column;
}

/* Feistel rounds: four leave visible structure in pairs of points of
 * small domains (a chi-square of the strata of points 0 and 1 over many
 * keys rejects uniformity at n = 1000); eight pass it. */
enum { ROUNDS = 8, BATCH = 256, MAX_SHUFFLED = 256 };

/* One pass of the Feistel network on [0, 2^BITS), keyed by ROUND_KEYS:
 * halves of ceil(BITS / 2) and floor(BITS / 2) bits, which trade widths
 * at each round (each round is a bijection, and after an even number of
 * rounds the widths are back). */
static uint32_t feistel(const uint32_t *round_keys, unsigned bits, uint32_t x)
{
    unsigned left_bits = bits - bits / 2, right_bits = bits / 2;
    uint32_t left = x >> right_bits, right = x & ((UINT32_C(1) << right_bits) - 1);
    for (unsigned round = 0; round < ROUNDS; round++) {
        uint32_t next = left ^ (hash32(right ^ round_keys[round]) & ((UINT32_C(1) << left_bits) - 1));
        left = right;
        right = next;
        unsigned width = left_bits;
        left_bits = right_bits;
        right_bits = width;
    }
    return left << right_bits | right;
}

/* Words arrive as the points' Monte Carlo words j and leave as the word
 * of (stratum + (j + 1/2) 2^-32) / n, made exact: stratum S owns the
 * words w whose uniform (w + 1/2) 2^-32 lies in [S / n, (S + 1) / n), the
 * lo(S + 1) - lo(S) words from lo(S) = ceil(S 2^32 / n - 1/2) =
 * floor((S 2^32 + floor((n - 1) / 2)) / n), and j picks one of them in
 * proportion.  Everything fits 64 bits because n < 2^32. */
static uint32_t place_in_stratum(const lhs_column *column, uint32_t stratum, uint32_t word)
{
    /* Without a 64-bit division (it would not vectorise): S 2^32 + c =
     * S q0 n + t with t = S r0 + c < n^2, and t / n in doubles is within
     * n 2^-51 < 2e-6 of the truth, so its floor is off by one at most,
     * which the remainder shows and the selects below undo. */
    uint64_t n = column->n;
    uint64_t t = stratum * column->spare_words + (n - 1) / 2;
    uint64_t q = (uint64_t)((double)t * column->reciprocal);
    uint64_t below = q * n > t;
    q -= below;
    uint64_t remainder = t - q * n;
    uint64_t above = remainder >= n;
    q += above;
    remainder -= above * n;
    /* lo(S + 1) = lo(S) + floor((r + 2^32) / n), r = (S 2^32 + c) mod n */
    uint64_t size = column->words_per_stratum + (remainder + column->spare_words >= n);
    uint64_t low = stratum * column->words_per_stratum + q;
    return (uint32_t)(low + ((uint64_t)word * size >> 32));
}

/* strata[i] = pi(POINT + i), i < COUNT <= BATCH: the Feistel network
 * walked along its cycles until it falls below n.  Points go through each
 * pass together, those that need another pass gathered without a branch,
 * so that the passes vectorise and no walk waits on a mispredicted branch. */
static void walk_strata(const lhs_column *column, const uint32_t round_keys[ROUNDS],
                        uint32_t point, size_t count, uint32_t *strata)
{
    uint32_t index[BATCH], value[BATCH];
    for (size_t i = 0; i < count; i++)
        strata[i] = feistel(round_keys, column->bits, point + (uint32_t)i);
    size_t left = 0;
    for (size_t i = 0; i < count; i++) {
        index[left] = (uint32_t)i;
        value[left] = strata[i];
        left += strata[i] >= column->n;
    }
    while (left) {
        for (size_t w = 0; w < left; w++)
            value[w] = feistel(round_keys, column->bits, value[w]);
        size_t still = 0;
        for (size_t w = 0; w < left; w++) {
            strata[index[w]] = value[w];
            index[still] = index[w];
            value[still] = value[w];
            still += value[w] >= column->n;
        }
        left = still;
    }
}

/* pi for few points (n <= MAX_SHUFFLED), where a network of a few bits
 * cannot reach every order evenly: a table shuffled by Fisher and Yates
 * (Durstenfeld's form) with hashed draws, an exactly uniform order up to
 * the 2^-32 rounding of each draw. */
static void shuffle_strata(uint64_t key, uint32_t n, uint32_t *strata)
{
    for (uint32_t i = 0; i < n; i++)
        strata[i] = i;
    for (uint32_t i = n - 1; i > 0; i--) {
        uint64_t h = mix(key ^ ((uint64_t)SHUFFLE_TAG << 32 | i));
        uint32_t j = (uint32_t)((h >> 32) * (i + 1) >> 32);
        uint32_t kept = strata[i];
        strata[i] = strata[j];
        strata[j] = kept;
    }
}

static void lhs_run(const void *context, uint64_t key, uint32_t point, size_t count,
                    uint32_t *words)
{
    const lhs_column *column = context;
    /* round_keys are read only when !few; zeroed all the same, as GCC 12
     * cannot see it in a baseline x86-64 build (-Wmaybe-uninitialized). */
    uint32_t round_keys[ROUNDS] = {0}, shuffled[MAX_SHUFFLED];
    int few = column->n <= MAX_SHUFFLED;
    if (few)
        shuffle_strata(key, column->n, shuffled);
    else
        for (unsigned round = 0; round < ROUNDS; round++)
            round_keys[round] = (uint32_t)mix(key ^ (uint64_t)(ROUND_TAG + round) << 32);
    for (size_t start = 0; start < count; start += BATCH) {
        size_t length = count - start < BATCH ? count - start : BATCH;
        uint32_t walked[BATCH];
        const uint32_t *strata = few ? shuffled + point + start : walked;
        if (!few)
            walk_strata(column, round_keys, point + (uint32_t)start, length, walked);
        for (size_t i = 0; i < length; i++)
            words[start + i] = place_in_stratum(column, strata[i], words[start + i]);
    }
}

/* ---- Owen-scrambled Sobol' columns ---- */

/* The 32 direction numbers of DIMENSION (< fmc_design_qmc_dimensions):
 * v[k] is the coordinate of point 2^k.  Joe and Kuo's recurrence
 * (their eq. 1.2 and remark): v_k = m_k 2^-k for k <= s, then
 * v_k = a_1 v_(k-1) ^ ... ^ a_(s-1) v_(k-s+1) ^ v_(k-s) ^ (v_(k-s) >> s);
 * dimension 0 is van der Corput's, v_k = 2^-k. */
static void direction_numbers(uint32_t dimension, uint32_t v[32])
{
    if (dimension == 0) {
        for (unsigned k = 0; k < 32; k++)
            v[k] = UINT32_C(0x80000000) >> k;
        return;
    }
    const uint16_t *row = fmc_joe_kuo_numbers + fmc_joe_kuo_rows[dimension - 1];
    unsigned degree = row[0];
    uint32_t coefficients = row[1];
    for (unsigned k = 0; k < degree; k++)
        v[k] = (uint32_t)row[2 + k] << (31 - k);
    for (unsigned k = degree; k < 32; k++) {
        uint32_t next = v[k - degree] ^ v[k - degree] >> degree;
        for (unsigned j = 1; j < degree; j++)
            if (coefficients >> (degree - 1 - j) & 1)
                next ^= v[k - j];
        v[k] = next;
    }
}

uint32_t fmc_design_sobol(uint32_t dimension, uint32_t point)
{
    uint32_t v[32], x = 0;
    direction_numbers(dimension, v);
    for (unsigned k = 0; k < 32; k++)
        if (point >> k & 1)
            x ^= v[k];
    return x;
}

/* The tree's flips are grouped in chunks of six levels: the node at depth
 * 6c (the top 6c bits of x, c = 0 .. 5) owns the 63 nodes of its next six
 * levels, and one hash of it gives all their bits -- node (j, q), q the j
 * bits below the chunk's root (j < 6), has bit 2^j - 1 + q.  Distinct
 * nodes own distinct bits, so the flips are as independent as Owen's. */
static uint64_t chunk_hash(uint64_t key, uint32_t x, unsigned chunk)
{
    uint32_t root = chunk ? x >> (32 - 6 * chunk) : 0;
    return mix(key ^ ((uint64_t)chunk << 32 | root));
}

/* The flips of levels FROM .. TO - 1 of CHUNK on the path of X, in place
 * in a word, given the chunk root's hash H. */
static uint32_t chunk_flips(uint64_t h, uint32_t x, unsigned chunk, unsigned from, unsigned to)
{
    unsigned below = (unsigned)(((uint64_t)x << 6 * chunk) >> 26) & 63;
    uint64_t flips = 0;
    for (unsigned j = from; j < to; j++) {
        unsigned node = (1u << j) - 1 + (below >> (6 - j));
        flips |= (h >> node & 1) << (63 - j);
    }
    return (uint32_t)(flips >> (32 + 6 * chunk));
}

/* paths[q] for each path q of LEVELS (<= 6) levels below a chunk's root
 * whose hash is H: the flips on that path, level j at bit LEVELS - 1 - j.
 * A flip belongs to the node above the bit it flips, so both children of
 * a node inherit its flips. */
static void chunk_paths(uint64_t h, unsigned levels, uint32_t *paths)
{
    paths[0] = 0;
    for (unsigned j = 0; j < levels; j++)
        for (size_t node = (size_t)1 << j; node-- > 0;) {
            uint32_t flips = paths[node] << 1 | (uint32_t)(h >> ((1u << j) - 1 + node) & 1);
            paths[2 * node] = flips;
            paths[2 * node + 1] = flips;
        }
}

/* A fill draws many points of a replicate: the flips of the top LEVELS
 * levels are tabulated once, for every prefix, from one hash per chunk
 * root (1 + 64 hashes for 12 levels).  Up to 12 levels (16 kB). */
enum { MAX_TABLE_LEVELS = 12 };

static void tabulate_flips(uint64_t key, unsigned levels, uint32_t *table)
{
    table[0] = 0;
    for (unsigned chunk = 0; 6 * chunk < levels; chunk++) {
        unsigned to = 6 * chunk + 6 < levels ? 6 * chunk + 6 : levels, width = to - 6 * chunk;
        uint32_t paths[64];
        /* in place, from the last root: prefixes of depth 6 chunk become
         * prefixes of depth TO */
        for (size_t root = (size_t)1 << 6 * chunk; root-- > 0;) {
            uint32_t x = chunk ? (uint32_t)root << (32 - 6 * chunk) : 0;
            chunk_paths(chunk_hash(key, x, chunk), width, paths);
            uint32_t above = table[root];
            for (size_t q = (size_t)1 << width; q-- > 0;)
                table[root << width | q] = above | paths[q] << (32 - to);
        }
    }
}

typedef struct sobol_column {
    uint32_t bytes[4][256];  /* bytes[b][y]: the coordinate of point y << 8b */
    unsigned bits;           /* m = ceil(log2 n): the first n points differ in their top m bits */
} sobol_column;

static void sobol_column_init(sobol_column *column, uint32_t dimension, uint64_t n)
{
    uint32_t v[32];
    direction_numbers(dimension, v);
    for (unsigned b = 0; b < 4; b++) {
        column->bytes[b][0] = 0;
        for (unsigned y = 1; y < 256; y++)
            column->bytes[b][y] = column->bytes[b][y & (y - 1)] ^ v[8 * b + __builtin_ctz(y)];
    }
    column->bits = 0;
    while ((UINT64_C(1) << column->bits) < n)
        column->bits++;
}

/* The words of COUNT points from POINT, scrambled by KEY: the top levels
 * from the table, the levels below it chunk by chunk, each a pass over a
 * batch of points so that the passes vectorise.  The levels from m down
 * are exact too, however cheap: the first n <= 2^m points of a Sobol'
 * dimension have distinct top m bits (a (0, m, 1)-net), so each node below
 * depth m lies on one point's path only, and its flips are independent
 * fair bits that no other point sees; the bits they flip become
 * independent fair bits whatever they were.  So one hash of the point's
 * top m bits (the node at depth m) gives them all. */
static void sobol_run(const void *context, uint64_t key, uint32_t point, size_t count,
                      uint32_t *words)
{
    const sobol_column *column = context;
    unsigned bits = column->bits;
    /* a table pays for itself from about as many points as entries */
    unsigned levels = count >= 2048 ? MAX_TABLE_LEVELS : count >= 64 ? 6 : 0;
    if (levels > bits)
        levels = bits;
    uint32_t table[1u << MAX_TABLE_LEVELS];
    if (levels)
        tabulate_flips(key, levels, table);
    uint32_t kept = bits ? ~UINT32_C(0) << (32 - bits) : 0;
    for (size_t start = 0; start < count; start += BATCH) {
        size_t length = count - start < BATCH ? count - start : BATCH;
        uint32_t x[BATCH], *y = words + start;
        for (size_t i = 0; i < length; i++) {
            uint32_t index = point + (uint32_t)(start + i);
            x[i] = column->bytes[0][index & 255] ^ column->bytes[1][index >> 8 & 255] ^
                   column->bytes[2][index >> 16 & 255] ^ column->bytes[3][index >> 24];
        }
        for (size_t i = 0; i < length; i++)
            y[i] = levels ? x[i] ^ table[x[i] >> (32 - levels)] : x[i];
        for (unsigned depth = levels; depth < bits; depth = 6 * (depth / 6) + 6) {
            unsigned chunk = depth / 6, to = bits - 6 * chunk < 6 ? bits - 6 * chunk : 6;
            for (size_t i = 0; i < length; i++)
                y[i] ^= chunk_flips(chunk_hash(key, x[i], chunk), x[i], chunk, depth - 6 * chunk, to);
        }
        if (bits == 32)
            continue;
        for (size_t i = 0; i < length; i++) {
            uint32_t prefix = bits ? x[i] >> (32 - bits) : 0;
            uint64_t h = mix(key ^ ((uint64_t)TAIL_TAG << 32 | prefix));
            y[i] = (y[i] & kept) | (uint32_t)(h >> (32 + bits));
        }
    }
}

/* ---- the fill ---- */

static int is_sobol(const fmc_design *design, uint32_t dimension)
{
    return design->method == FMC_DESIGN_QMC && dimension < fmc_design_qmc_dimensions;
}

void fmc_design_fill(const fmc_design *design, uint64_t seed, const fmc_design_slots *at,
                     uint64_t first, size_t count, size_t slots, uint32_t *const *words)
{
    if (design->method == FMC_DESIGN_MC) {
        fmc_stream_fill_period(seed, at->purpose, at->period, first, count, slots, words);
        return;
    }
    /* Latin hypercube columns start from their Monte Carlo words (the jitter) */
    uint32_t *jittered[FMC_PERIOD_SLOTS] = {0};
    for (size_t k = 0; k < slots; k++)
        if (!is_sobol(design, at->dimension0 + (uint32_t)k))
            jittered[k] = words[k];
    fmc_stream_fill_period(seed, at->purpose, at->period, first, count, slots, jittered);

    lhs_column lhs = lhs_column_of(design->points);
    for (size_t k = 0; k < slots; k++) {
        uint32_t dimension = at->dimension0 + (uint32_t)k;
        if (!words[k])
            continue;
        if (is_sobol(design, dimension)) {
            sobol_column sobol;
            sobol_column_init(&sobol, dimension, design->points);
            fill_column(sobol_run, &sobol, design->points, seed, dimension, first, count, words[k]);
        } else {
            fill_column(lhs_run, &lhs, design->points, seed, dimension, first, count, words[k]);
        }
    }
}
