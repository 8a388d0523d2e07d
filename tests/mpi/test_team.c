/* The team module (team.h) under mpirun: run by ctest as
 *     mpirun -n P test_team P
 * for P = 1, 2 and 3, so that shares are even and uneven, some processes
 * get no slot, and a split leaves groups of one beside groups of two.
 * Every process runs every test; each checks what it received against what
 * every process must have sent, so a wrong byte anywhere fails the job. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fixtures.h"
#include "funnelmc/sweep.h"
#include "funnelmc/team.h"

static fmc_team *world;
static int rank, size;

/* The byte that slot SLOT holds at OFFSET once filled: different for every
 * slot, offset and slot size, so a slot copied to the wrong place shows. */
static unsigned char pattern(size_t slot, size_t offset, size_t bytes)
{
    return (unsigned char)(slot * 131 + offset * 7 + bytes * 3 + 1);
}

/* The share of rank R, as every process sees it (fmc_team_share answers
 * for the calling process only): gathered through an exact integer sum. */
static void shares_of_every_rank(const fmc_team *team, size_t count, uint64_t *shares)
{
    int members = fmc_team_size(team), me = fmc_team_rank(team);
    memset(shares, 0, 2 * (size_t)members * sizeof *shares);
    size_t first, end;
    fmc_team_share(team, count, &first, &end);
    shares[2 * me] = first;
    shares[2 * me + 1] = end;
    fmc_team_sum_u64(team, shares, 2 * (size_t)members);
}

static void the_team_is_every_process_mpirun_started(void)
{
    CHECK(fmc_team_mpi_built() == 1);
    CHECK(rank >= 0 && rank < size);
    /* every rank appears once: the sum of the ranks is size (size - 1) / 2 */
    uint64_t ranks[2] = {(uint64_t)rank, 1};
    fmc_team_sum_u64(world, ranks, 2);
    CHECK(ranks[0] == (uint64_t)size * (uint64_t)(size - 1) / 2);
    CHECK(ranks[1] == (uint64_t)size);
    /* and a NULL team is this process alone, whose collectives change nothing */
    CHECK(fmc_team_rank(NULL) == 0 && fmc_team_size(NULL) == 1);
    uint64_t alone = 41;
    fmc_team_sum_u64(NULL, &alone, 1);
    CHECK(alone == 41);
    CHECK(fmc_team_agree(NULL, FMC_EIO) == FMC_EIO);
}

static void shares_cover_every_slot_once_in_rank_order(void)
{
    static const size_t counts[] = {0, 1, 2, 3, 4, 5, 7, 64, 1000, 1001, 1002,
                                    (size_t)1 << 40, ((size_t)1 << 40) + 2};
    uint64_t *shares = malloc(2 * (size_t)size * sizeof *shares);
    REQUIRE(shares);
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        size_t count = counts[c];
        shares_of_every_rank(world, count, shares);
        uint64_t smallest = UINT64_MAX, largest = 0;
        CHECK(shares[0] == 0);
        for (int r = 0; r < size; r++) {
            uint64_t first = shares[2 * r], end = shares[2 * r + 1];
            CHECK(first <= end);
            if (r + 1 < size)
                CHECK(end == shares[2 * (r + 1)]);  /* contiguous, in rank order */
            smallest = end - first < smallest ? end - first : smallest;
            largest = end - first > largest ? end - first : largest;
        }
        CHECK(shares[2 * size - 1] == count);
        CHECK(largest - smallest <= 1);
    }
    free(shares);
}

/* Fills this process's share of COUNT slots of BYTES, poisons the rest,
 * exchanges them, and checks what every process (or rank 0) holds. */
static void exchange_and_check(size_t bytes, size_t count, int to_all)
{
    unsigned char *slots = malloc(bytes * count + 1);
    REQUIRE(slots);
    size_t first, end;
    fmc_team_share(world, count, &first, &end);
    memset(slots, 0xEE, bytes * count);
    for (size_t s = first; s < end; s++)
        for (size_t b = 0; b < bytes; b++)
            slots[s * bytes + b] = pattern(s, b, bytes);
    if (to_all)
        fmc_team_allgather_slots(world, slots, bytes, count);
    else
        fmc_team_gather_slots(world, slots, bytes, count);
    int receives_all = to_all || rank == 0;
    size_t wrong = 0;
    for (size_t s = 0; s < count; s++) {
        if (!receives_all && (s < first || s >= end))
            continue;
        for (size_t b = 0; b < bytes; b++)
            wrong += slots[s * bytes + b] != pattern(s, b, bytes);
    }
    if (wrong)
        fprintf(stderr, "rank %d: %zu wrong bytes, %zu slots of %zu bytes, to_all %d\n", rank,
                wrong, count, bytes, to_all);
    CHECK(wrong == 0);
    free(slots);
}

static void allgather_gives_every_process_every_slot(void)
{
    /* odd slot sizes, fewer slots than processes, shares of unequal sizes */
    static const size_t bytes[] = {1, 3, 24, 4101};
    static const size_t counts[] = {0, 1, 2, 3, 5, 7, 256, 1001};
    for (size_t b = 0; b < sizeof bytes / sizeof bytes[0]; b++)
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
            exchange_and_check(bytes[b], counts[c], 1);
    /* a round of a large engine state: 4 MB in all */
    exchange_and_check((size_t)16384 + 8, 257, 1);
}

static void gather_gives_rank_0_every_slot_and_leaves_each_share(void)
{
    static const size_t bytes[] = {1, 24, 4101};
    static const size_t counts[] = {0, 1, 2, 4, 7, 1001};
    for (size_t b = 0; b < sizeof bytes / sizeof bytes[0]; b++)
        for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++)
            exchange_and_check(bytes[b], counts[c], 0);
}

static void integer_sums_are_exact_and_reach_every_process(void)
{
    enum { N = 100003 };  /* more than one message's worth of many transports */
    uint64_t *u = malloc(N * sizeof *u);
    int64_t *i = malloc(N * sizeof *i);
    REQUIRE(u && i);
    for (size_t k = 0; k < N; k++) {
        /* beyond 2^53, where a sum through doubles would round */
        u[k] = ((uint64_t)1 << 60) / 4 + (uint64_t)rank * 1000003u + k;
        i[k] = (rank % 2 ? -1 : 1) * (((int64_t)1 << 58) + (int64_t)k * 7) - rank;
    }
    fmc_team_sum_u64(world, u, N);
    fmc_team_sum_i64(world, i, N);
    size_t wrong = 0;
    for (size_t k = 0; k < N; k++) {
        uint64_t expected_u = 0;
        int64_t expected_i = 0;
        for (int r = 0; r < size; r++) {
            expected_u += ((uint64_t)1 << 60) / 4 + (uint64_t)r * 1000003u + k;
            expected_i += (r % 2 ? -1 : 1) * (((int64_t)1 << 58) + (int64_t)k * 7) - r;
        }
        wrong += u[k] != expected_u || i[k] != expected_i;
    }
    CHECK(wrong == 0);
    free(u);
    free(i);
}

static void minimum_and_maximum_are_over_every_process(void)
{
    enum { N = 5 };
    double low[N], high[N];
    for (int k = 0; k < N; k++) {
        /* the extreme is held by a different rank for each element */
        double v = ((rank + k) % size) * 2.385 - 1.5 * k;
        low[k] = high[k] = v;
    }
    fmc_team_min(world, low, N);
    fmc_team_max(world, high, N);
    for (int k = 0; k < N; k++) {
        CHECK_EXACT(low[k], -1.5 * k);
        CHECK_EXACT(high[k], (size - 1) * 2.385 - 1.5 * k);
    }
}

static void broadcast_copies_rank_0_bytes(void)
{
    unsigned char data[1013];
    for (size_t b = 0; b < sizeof data; b++)
        data[b] = rank == 0 ? pattern(b, 5, 1013) : (unsigned char)rank;
    fmc_team_broadcast(world, data, sizeof data);
    size_t wrong = 0;
    for (size_t b = 0; b < sizeof data; b++)
        wrong += data[b] != pattern(b, 5, 1013);
    CHECK(wrong == 0);
}

static void agree_fails_every_process_when_one_fails(void)
{
    CHECK(fmc_team_agree(world, FMC_OK) == FMC_OK);
    /* the last rank alone runs out of memory: all fail with it */
    CHECK(fmc_team_agree(world, rank == size - 1 ? FMC_ENOMEM : FMC_OK) == FMC_ENOMEM);
    /* different failures: the largest code wins, the same everywhere */
    fmc_status mine = rank == 0 ? FMC_EIO : rank == 1 ? FMC_ECANCELLED : FMC_EINVAL;
    fmc_status expected = size == 1 ? FMC_EIO : FMC_ECANCELLED;
    CHECK(fmc_team_agree(world, mine) == expected);
}

static void split_makes_groups_of_consecutive_ranks(void)
{
    int group = -1;
    fmc_team *g = NULL;
    CHECK(fmc_team_split(world, 0, &group, &g) == FMC_EINVAL);
    CHECK(fmc_team_split(world, size + 1, &group, &g) == FMC_EINVAL);
    for (int groups = 1; groups <= size; groups++) {
        REQUIRE(fmc_team_split(world, groups, &group, &g) == FMC_OK);
        CHECK(group == (int)((long long)rank * groups / size));
        /* the members, as the whole team sees them: everyone's group */
        uint64_t *groups_of = calloc((size_t)size, sizeof *groups_of);
        REQUIRE(groups_of);
        groups_of[rank] = (uint64_t)group;
        fmc_team_sum_u64(world, groups_of, (size_t)size);
        int members = 0, first_member = -1;
        for (int r = 0; r < size; r++) {
            if (groups_of[r] != (uint64_t)group)
                continue;
            if (first_member < 0)
                first_member = r;
            members++;
            CHECK(r == first_member + members - 1);  /* consecutive */
        }
        CHECK(members == size / groups || members == size / groups + 1);
        CHECK(fmc_team_size(g) == members);
        CHECK(fmc_team_rank(g) == rank - first_member);  /* order kept */
        /* a collective of the group reaches its members and no one else */
        uint64_t ranks = (uint64_t)rank;
        fmc_team_sum_u64(g, &ranks, 1);
        uint64_t expected = 0;
        for (int r = first_member; r < first_member + members; r++)
            expected += (uint64_t)r;
        CHECK(ranks == expected);
        /* and an allgather inside the group, with its own shares */
        uint64_t slots[5] = {0};
        size_t first, end;
        fmc_team_share(g, 5, &first, &end);
        for (size_t s = first; s < end; s++)
            slots[s] = 1000u * (uint64_t)group + s;
        fmc_team_allgather_slots(g, slots, sizeof slots[0], 5);
        for (size_t s = 0; s < 5; s++)
            CHECK(slots[s] == 1000u * (uint64_t)group + s);
        fmc_team_free(g);
        free(groups_of);
    }
}

/* A message: who sent it, which of its messages, and a body of a length
 * that varies, filled with a pattern of both. */
typedef struct message {
    int32_t sender, sequence;
    unsigned char body[300];
} message;

enum { MESSAGES = 40, TAG = 7, OTHER_TAG = 8 };

static size_t message_bytes(int sequence)
{
    return offsetof(message, body) + (size_t)(sequence * 37) % sizeof ((message *)0)->body;
}

static void post_reaches_rank_0_from_any_thread(void)
{
    if (rank != 0) {
        /* from several threads at once, as a sweep's workers do */
        #pragma omp parallel for num_threads(2) schedule(dynamic, 1)
        for (int k = 0; k < MESSAGES; k++) {
            message m = {.sender = rank, .sequence = k};
            for (size_t b = 0; b < sizeof m.body; b++)
                m.body[b] = pattern((size_t)k, b, (size_t)rank);
            fmc_team_post(world, TAG, &m, message_bytes(k));
        }
        message last = {.sender = rank, .sequence = -1};
        fmc_team_post(world, OTHER_TAG, &last, offsetof(message, body));
    } else {
        unsigned char *seen = calloc((size_t)size * MESSAGES, 1);
        REQUIRE(seen);
        size_t expected = (size_t)(size - 1) * MESSAGES, received = 0, wrong = 0;
        message m;
        int sender = -1;
        while (received < expected) {
            /* alternately polling and waiting, as rank 0 of a batch does */
            if (received % 2) {
                if (!fmc_team_poll(world, TAG, &m, sizeof m, &sender))
                    continue;
            } else {
                fmc_team_receive(world, TAG, &m, sizeof m, &sender);
            }
            received++;
            if (sender != m.sender || sender <= 0 || sender >= size || m.sequence < 0 ||
                m.sequence >= MESSAGES || seen[sender * MESSAGES + m.sequence]++) {
                wrong++;
                continue;
            }
            size_t body = message_bytes(m.sequence) - offsetof(message, body);
            for (size_t b = 0; b < body; b++)
                wrong += m.body[b] != pattern((size_t)m.sequence, b, (size_t)sender);
        }
        CHECK(wrong == 0);
        /* nothing of TAG is left, and the other tag's messages were kept apart */
        CHECK(fmc_team_poll(world, TAG, &m, sizeof m, &sender) == 0);
        for (int k = 1; k < size; k++) {
            fmc_team_receive(world, OTHER_TAG, &m, sizeof m, &sender);
            CHECK(m.sequence == -1 && m.sender == sender);
        }
        CHECK(fmc_team_poll(world, OTHER_TAG, &m, sizeof m, &sender) == 0);
        free(seen);
    }
    /* on a team of one, there is never a message to poll */
    message m;
    int sender;
    CHECK(fmc_team_poll(NULL, TAG, &m, sizeof m, &sender) == 0);
    CHECK(fmc_team_agree(world, FMC_OK) == FMC_OK);  /* everyone past the exchange */
}

static void posts_inside_a_group_go_to_its_rank_0(void)
{
    int groups = size > 1 ? 2 : 1, group;
    fmc_team *g;
    REQUIRE(fmc_team_split(world, groups, &group, &g) == FMC_OK);
    int members = fmc_team_size(g), me = fmc_team_rank(g);
    if (me != 0) {
        message m = {.sender = rank, .sequence = group};
        fmc_team_post(g, TAG, &m, offsetof(message, body));
    } else {
        for (int k = 1; k < members; k++) {
            message m;
            int sender;
            fmc_team_receive(g, TAG, &m, sizeof m, &sender);
            CHECK(m.sequence == group);  /* from this group only */
            CHECK(sender >= 1 && sender < members && m.sender == rank + sender);
        }
    }
    fmc_team_free(g);  /* waits for this process's messages to be delivered */
    CHECK(fmc_team_agree(world, FMC_OK) == FMC_OK);
}

static void traffic_counts_each_collective_once_with_its_bytes(void)
{
    int many = size > 1;
    fmc_team_traffic before = fmc_team_traffic_total();
    uint64_t values[3] = {1, 2, 3};
    fmc_team_sum_u64(world, values, 3);
    fmc_team_traffic after = fmc_team_traffic_total();
    CHECK(after.collectives - before.collectives == (uint64_t)many);
    CHECK(after.bytes - before.bytes == (uint64_t)many * sizeof values);
    /* an allgather counts the bytes of this process's share */
    unsigned char slots[7 * 10];
    size_t first, end;
    fmc_team_share(world, 7, &first, &end);
    memset(slots, 1, sizeof slots);
    before = fmc_team_traffic_total();
    fmc_team_allgather_slots(world, slots, 10, 7);
    after = fmc_team_traffic_total();
    CHECK(after.collectives - before.collectives == (uint64_t)many);
    CHECK(after.bytes - before.bytes == (uint64_t)many * (end - first) * 10);
    /* a team of one exchanges nothing */
    before = fmc_team_traffic_total();
    fmc_team_sum_u64(NULL, values, 3);
    fmc_team_allgather_slots(NULL, slots, 10, 7);
    after = fmc_team_traffic_total();
    CHECK(after.collectives == before.collectives && after.bytes == before.bytes);
}

/* Counts the calls that report a whole point done: the engine's last, then
 * the sweep's own once the point is finished; cancels at the second. */
typedef struct point_watch {
    uint64_t point_samples;
    int whole;
} point_watch;

static int cancel_once_a_point_is_done(void *context, uint64_t done, uint64_t total)
{
    (void)total;
    point_watch *w = context;
    return done >= w->point_samples && ++w->whole >= 2;
}

/* Two points of equal cost on 3 processes: both to the group of ranks 0 and
 * 1 (rank 2's group gets none).  Rank 1 alone cancels between the points:
 * the group stops together, rank 0 does not start the second point's
 * collectives without it, and every process returns FMC_ECANCELLED.  On 2
 * processes, rank 1 (a group of one) cancels after posting its one point:
 * no stop record follows, and none is left for a later sweep to take. */
static void a_cancellation_in_one_member_stops_its_group_together(void)
{
    fmc_scenario *s = load_reference();
    fmc_sweep *sweep = &s->sweeps[0];
    sweep->axis_count = 1;
    sweep->axes[0].value_count = 2;
    sweep->samples = 2 * 4096;
    point_watch watch = {.point_samples = sweep->samples};
    fmc_run_options o = fmc_run_options_default();
    o.threads = 1;
    o.team = world;
    o.progress = rank == 1 ? cancel_once_a_point_is_done : NULL;
    o.progress_context = &watch;
    fmc_sweep_result r;
    CHECK(fmc_sweep_run(s, sweep, &o, &r) == (size > 1 ? FMC_ECANCELLED : FMC_OK));
    fmc_sweep_result_clear(&r);
    /* the same sweep again, uncancelled, on the same team: nothing stale is
     * taken for its points, which are those of one process */
    o.progress = NULL;
    REQUIRE(fmc_sweep_run(s, sweep, &o, &r) == FMC_OK);
    if (rank == 0) {
        fmc_sweep_result alone;
        o.team = NULL;
        REQUIRE(fmc_sweep_run(s, sweep, &o, &alone) == FMC_OK);
        CHECK(same_bits(r.mean, alone.mean, 2) && same_bits(r.p95, alone.p95, 2));
        CHECK(r.best_lever[1] == alone.best_lever[1]);
        fmc_sweep_result_clear(&alone);
    }
    fmc_sweep_result_clear(&r);
    fmc_scenario_free(s);
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (fmc_team_start(&argc, &argv, &world) != FMC_OK)
        return 1;
    rank = fmc_team_rank(world);
    size = fmc_team_size(world);
    /* the process count mpirun was given: MPI was really started */
    int expected = argc > 1 ? atoi(argv[1]) : 1;
    if (size != expected) {
        fprintf(stderr, "rank %d: a team of %d, expected %d\n", rank, size, expected);
        return 1;
    }
    RUN_TEST(the_team_is_every_process_mpirun_started);
    RUN_TEST(shares_cover_every_slot_once_in_rank_order);
    RUN_TEST(allgather_gives_every_process_every_slot);
    RUN_TEST(gather_gives_rank_0_every_slot_and_leaves_each_share);
    RUN_TEST(integer_sums_are_exact_and_reach_every_process);
    RUN_TEST(minimum_and_maximum_are_over_every_process);
    RUN_TEST(broadcast_copies_rank_0_bytes);
    RUN_TEST(agree_fails_every_process_when_one_fails);
    RUN_TEST(split_makes_groups_of_consecutive_ranks);
    RUN_TEST(post_reaches_rank_0_from_any_thread);
    RUN_TEST(posts_inside_a_group_go_to_its_rank_0);
    RUN_TEST(traffic_counts_each_collective_once_with_its_bytes);
    RUN_TEST(a_cancellation_in_one_member_stops_its_group_together);
    fprintf(stdout, "rank %d of %d: ", rank, size);
    fflush(stdout);
    printf("%d passed, %d failed\n", tests_passed, tests_failed);
    fmc_team_stop(world);
    return tests_failed ? 1 : 0;
}
