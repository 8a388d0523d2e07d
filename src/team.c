/* Teams of processes; see team.h.  Without FUNNELMC_MPI every team is one
 * process and every collective returns at once; with it, a team of more
 * than one process is an MPI communicator. */
#include "funnelmc/team.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef FUNNELMC_MPI
#include <mpi.h>
#include <threads.h>
#endif

struct fmc_team {
    int rank, size;
#ifdef FUNNELMC_MPI
    MPI_Comm comm;
    int owns_comm;  /* 1 for a team of fmc_team_split */
    /* messages posted and not yet known to be delivered, with their copies */
    MPI_Request *requests;
    void **copies;
    size_t posted, capacity;
#endif
};

static _Atomic uint64_t collectives_made, bytes_given;

fmc_team_traffic fmc_team_traffic_total(void)
{
    return (fmc_team_traffic){atomic_load(&collectives_made), atomic_load(&bytes_given)};
}

int fmc_team_rank(const fmc_team *t)
{
    return t ? t->rank : 0;
}

int fmc_team_size(const fmc_team *t)
{
    return t ? t->size : 1;
}

/* The group of RANK when a team of SIZE processes is cut into GROUPS
 * (fmc_team_split): consecutive ranks, sizes within one of each other. */
static int group_of_rank(int rank, int groups, int size)
{
    return (int)((long long)rank * groups / size);
}

/* The share of COUNT slots of RANK of SIZE processes: [r * count / size,
 * (r + 1) * count / size), contiguous, in rank order, sizes within one of
 * each other. */
static void share_bounds(size_t rank, size_t size, size_t count, size_t *first, size_t *end)
{
    *first = rank * count / size;
    *end = (rank + 1) * count / size;
}

void fmc_team_share(const fmc_team *t, size_t count, size_t *first, size_t *end)
{
    share_bounds((size_t)fmc_team_rank(t), (size_t)fmc_team_size(t), count, first, end);
}

#ifdef FUNNELMC_MPI

static int is_alone(const fmc_team *t)
{
    return !t || t->size == 1;
}

static void count_traffic(size_t bytes)
{
    atomic_fetch_add(&collectives_made, 1);
    atomic_fetch_add(&bytes_given, bytes);
}

int fmc_team_mpi_built(void)
{
    return 1;
}

/* 1 when a launcher (mpirun, mpiexec, srun) started this process: the
 * variables Open MPI, PMI and PMIx give every process they start.  A
 * program started by hand stays one process without MPI_Init, which would
 * cost it half a second. */
static int launched_by_mpi(void)
{
    static const char *const variables[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK",
                                            "PMI_SIZE"};
    for (size_t i = 0; i < sizeof variables / sizeof variables[0]; i++)
        if (getenv(variables[i]))
            return 1;
    return 0;
}

/* 1 when Slurm's srun started this process as one of several tasks of a
 * step without connecting them (no MPI plugin): each would run the whole
 * job alone, all racing for the same output. */
static int unconnected_slurm_task(void)
{
    const char *tasks = getenv("SLURM_STEP_NUM_TASKS");
    return tasks && getenv("SLURM_PROCID") && strtol(tasks, NULL, 10) > 1;
}

fmc_status fmc_team_start(int *argc, char ***argv, fmc_team **out)
{
    int launched = launched_by_mpi();
    if (!launched && unconnected_slurm_task())
        return FMC_EINVAL;
    fmc_team *t = calloc(1, sizeof *t);
    if (!t)
        return FMC_ENOMEM;
    *t = (fmc_team){.rank = 0, .size = 1, .comm = MPI_COMM_SELF};
    if (launched) {
        int provided;
        /* sweeps post and poll from whichever OpenMP thread finished a
         * point, one thread at a time (team.h) */
        MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided);
        t->comm = MPI_COMM_WORLD;
        MPI_Comm_rank(t->comm, &t->rank);
        MPI_Comm_size(t->comm, &t->size);
        if (provided < MPI_THREAD_SERIALIZED) {
            /* every process learns the same, so all leave alike */
            if (t->rank == 0)
                fprintf(stderr, "error: this MPI library gives no thread support "
                                "(MPI_THREAD_SERIALIZED): funnelmc needs an MPI built "
                                "with threads, such as Open MPI\n");
            MPI_Finalize();
            exit(EXIT_FAILURE);
        }
    }
    *out = t;
    return FMC_OK;
}

/* Forgets the posted messages that are delivered (with WAIT, all of them,
 * waiting); called under the lock of the list. */
static void reap_posted(fmc_team *t, int wait)
{
    size_t kept = 0;
    for (size_t i = 0; i < t->posted; i++) {
        int delivered = 1;
        if (wait)
            MPI_Wait(&t->requests[i], MPI_STATUS_IGNORE);
        else
            MPI_Test(&t->requests[i], &delivered, MPI_STATUS_IGNORE);
        if (delivered) {
            free(t->copies[i]);
            continue;
        }
        t->requests[kept] = t->requests[i];
        t->copies[kept++] = t->copies[i];
    }
    t->posted = kept;
}

static void team_release(fmc_team *t)
{
    #pragma omp critical(fmc_team_posted)
    reap_posted(t, 1);
    free(t->requests);
    free(t->copies);
    if (t->owns_comm)
        MPI_Comm_free(&t->comm);
    free(t);
}

void fmc_team_stop(fmc_team *world)
{
    if (!world)
        return;
    int started = world->comm == MPI_COMM_WORLD;
    team_release(world);
    if (started)
        MPI_Finalize();
}

_Noreturn void fmc_team_abort(const fmc_team *t, int status)
{
    int started = 0;
    MPI_Initialized(&started);
    if (started)
        MPI_Abort(t ? t->comm : MPI_COMM_WORLD, status);
    exit(status);
}

fmc_status fmc_team_split(const fmc_team *t, int groups, int *group, fmc_team **out)
{
    int size = fmc_team_size(t);
    if (groups < 1 || groups > size)
        return FMC_EINVAL;
    int rank = fmc_team_rank(t);
    *group = group_of_rank(rank, groups, size);
    if (is_alone(t)) {
        fmc_team *g = calloc(1, sizeof *g);
        if (!g)
            return FMC_ENOMEM;
        *g = (fmc_team){.rank = 0, .size = 1, .comm = MPI_COMM_SELF};
        *out = g;
        return FMC_OK;
    }
    /* the collective first: a process that then lacks memory cannot tell
     * the others, who hold the new team already, so it ends the job */
    MPI_Comm comm;
    count_traffic(sizeof(int));
    MPI_Comm_split(t->comm, *group, rank, &comm);
    fmc_team *g = calloc(1, sizeof *g);
    if (!g)
        fmc_team_abort(t, EXIT_FAILURE);
    *g = (fmc_team){.comm = comm, .owns_comm = 1};
    MPI_Comm_rank(comm, &g->rank);
    MPI_Comm_size(comm, &g->size);
    *out = g;
    return FMC_OK;
}

void fmc_team_free(fmc_team *t)
{
    if (t)
        team_release(t);
}

void fmc_team_post(const fmc_team *team, int tag, const void *data, size_t bytes)
{
    /* the list of messages under way is bookkeeping of this process, not a
     * property of the team its callers share */
    fmc_team *t = (fmc_team *)team;
    void *copy = malloc(bytes ? bytes : 1);
    if (!copy)
        fmc_team_abort(t, EXIT_FAILURE);
    memcpy(copy, data, bytes);
    count_traffic(bytes);
    int grown = 1;
    #pragma omp critical(fmc_team_posted)
    {
        reap_posted(t, 0);
        if (t->posted == t->capacity) {
            size_t capacity = t->capacity ? 2 * t->capacity : 16;
            MPI_Request *requests = realloc(t->requests, capacity * sizeof *requests);
            if (requests)
                t->requests = requests;
            void **copies = requests ? realloc(t->copies, capacity * sizeof *copies) : NULL;
            if (copies)
                t->copies = copies;
            grown = requests && copies;
            if (grown)
                t->capacity = capacity;
        }
        if (grown) {
            MPI_Isend(copy, (int)bytes, MPI_BYTE, 0, tag, t->comm, &t->requests[t->posted]);
            t->copies[t->posted++] = copy;
        }
    }
    if (!grown)
        fmc_team_abort(t, EXIT_FAILURE);
}

static int take_message(const fmc_team *t, int tag, void *data, size_t bytes, int *sender,
                        int wait)
{
    MPI_Status status;
    int arrived = 1;
    if (wait)
        MPI_Probe(MPI_ANY_SOURCE, tag, t->comm, &status);
    else
        MPI_Iprobe(MPI_ANY_SOURCE, tag, t->comm, &arrived, &status);
    if (!arrived)
        return 0;
    MPI_Recv(data, (int)bytes, MPI_BYTE, status.MPI_SOURCE, tag, t->comm, MPI_STATUS_IGNORE);
    *sender = status.MPI_SOURCE;
    return 1;
}

int fmc_team_poll(const fmc_team *t, int tag, void *data, size_t bytes, int *sender)
{
    return !is_alone(t) && take_message(t, tag, data, bytes, sender, 0);
}

void fmc_team_receive(const fmc_team *t, int tag, void *data, size_t bytes, int *sender)
{
    if (is_alone(t))
        fmc_team_abort(t, EXIT_FAILURE);
    take_message(t, tag, data, bytes, sender, 1);
}

/* Counts and displacements, in slots, of every process's share. */
static int *shares_of(const fmc_team *t, size_t count)
{
    int *counts = malloc(2 * (size_t)t->size * sizeof *counts);
    if (!counts)
        fmc_team_abort(t, EXIT_FAILURE);
    for (int r = 0; r < t->size; r++) {
        size_t first, end;
        share_bounds((size_t)r, (size_t)t->size, count, &first, &end);
        counts[r] = (int)(end - first);
        counts[t->size + r] = (int)first;
    }
    return counts;
}

/* A type of BYTES contiguous bytes, so that counts are in slots and stay
 * within an int however large a round is. */
static MPI_Datatype slot_type(size_t bytes)
{
    MPI_Datatype type;
    MPI_Type_contiguous((int)bytes, MPI_BYTE, &type);
    MPI_Type_commit(&type);
    return type;
}

static void exchange_slots(const fmc_team *t, void *slots, size_t bytes, size_t count, int to_all)
{
    if (is_alone(t) || count == 0 || bytes == 0)
        return;
    int *counts = shares_of(t, count), *displacements = counts + t->size;
    MPI_Datatype type = slot_type(bytes);
    count_traffic((size_t)counts[t->rank] * bytes);
    if (to_all) {
        MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, slots, counts, displacements, type,
                       t->comm);
    } else {
        char *mine = (char *)slots + (size_t)displacements[t->rank] * bytes;
        MPI_Gatherv(t->rank == 0 ? MPI_IN_PLACE : mine, counts[t->rank], type, slots, counts,
                    displacements, type, 0, t->comm);
    }
    MPI_Type_free(&type);
    free(counts);
}

void fmc_team_allgather_slots(const fmc_team *t, void *slots, size_t bytes, size_t count)
{
    exchange_slots(t, slots, bytes, count, 1);
}

void fmc_team_gather_slots(const fmc_team *t, void *slots, size_t bytes, size_t count)
{
    exchange_slots(t, slots, bytes, count, 0);
}

static void reduce(const fmc_team *t, void *values, size_t n, size_t size, MPI_Datatype type,
                   MPI_Op op)
{
    if (is_alone(t) || n == 0)
        return;
    count_traffic(n * size);
    /* in pieces of at most INT_MAX elements: MPI counts are ints */
    for (size_t done = 0; done < n; done += INT_MAX) {
        size_t piece = n - done < INT_MAX ? n - done : INT_MAX;
        MPI_Allreduce(MPI_IN_PLACE, (char *)values + done * size, (int)piece, type, op, t->comm);
    }
}

void fmc_team_sum_u64(const fmc_team *t, uint64_t *values, size_t n)
{
    reduce(t, values, n, sizeof *values, MPI_UINT64_T, MPI_SUM);
}

void fmc_team_sum_i64(const fmc_team *t, int64_t *values, size_t n)
{
    reduce(t, values, n, sizeof *values, MPI_INT64_T, MPI_SUM);
}

void fmc_team_min(const fmc_team *t, double *values, size_t n)
{
    reduce(t, values, n, sizeof *values, MPI_DOUBLE, MPI_MIN);
}

void fmc_team_max(const fmc_team *t, double *values, size_t n)
{
    reduce(t, values, n, sizeof *values, MPI_DOUBLE, MPI_MAX);
}

void fmc_team_broadcast(const fmc_team *t, void *data, size_t bytes)
{
    if (is_alone(t) || bytes == 0)
        return;
    count_traffic(t->rank == 0 ? bytes : 0);
    for (size_t done = 0; done < bytes; done += INT_MAX) {
        size_t piece = bytes - done < INT_MAX ? bytes - done : INT_MAX;
        MPI_Bcast((char *)data + done, (int)piece, MPI_BYTE, 0, t->comm);
    }
}

fmc_status fmc_team_agree(const fmc_team *t, fmc_status status)
{
    int code = (int)status;
    reduce(t, &code, 1, sizeof code, MPI_INT, MPI_MAX);
    return (fmc_status)code;
}

fmc_status fmc_team_agree_idle(const fmc_team *t, fmc_status status)
{
    if (is_alone(t))
        return status;
    int code = (int)status, done = 0;
    count_traffic(sizeof code);
    MPI_Request request;
    MPI_Iallreduce(MPI_IN_PLACE, &code, 1, MPI_INT, MPI_MAX, t->comm, &request);
    for (MPI_Test(&request, &done, MPI_STATUS_IGNORE); !done;
         MPI_Test(&request, &done, MPI_STATUS_IGNORE))
        thrd_sleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
    return (fmc_status)code;
}

#else /* one process: no MPI */

int fmc_team_mpi_built(void)
{
    return 0;
}

fmc_status fmc_team_start(int *argc, char ***argv, fmc_team **out)
{
    (void)argc, (void)argv;
    fmc_team *t = calloc(1, sizeof *t);
    if (!t)
        return FMC_ENOMEM;
    *t = (fmc_team){.rank = 0, .size = 1};
    *out = t;
    return FMC_OK;
}

void fmc_team_stop(fmc_team *world)
{
    free(world);
}

_Noreturn void fmc_team_abort(const fmc_team *t, int status)
{
    (void)t;
    exit(status);
}

fmc_status fmc_team_split(const fmc_team *t, int groups, int *group, fmc_team **out)
{
    (void)t;
    if (groups != 1)
        return FMC_EINVAL;
    fmc_team *g = calloc(1, sizeof *g);
    if (!g)
        return FMC_ENOMEM;
    *g = (fmc_team){.rank = 0, .size = 1};
    *group = 0;
    *out = g;
    return FMC_OK;
}

void fmc_team_free(fmc_team *t)
{
    free(t);
}

void fmc_team_allgather_slots(const fmc_team *t, void *slots, size_t bytes, size_t count)
{
    (void)t, (void)slots, (void)bytes, (void)count;
}

void fmc_team_gather_slots(const fmc_team *t, void *slots, size_t bytes, size_t count)
{
    (void)t, (void)slots, (void)bytes, (void)count;
}

void fmc_team_sum_u64(const fmc_team *t, uint64_t *values, size_t n)
{
    (void)t, (void)values, (void)n;
}

void fmc_team_sum_i64(const fmc_team *t, int64_t *values, size_t n)
{
    (void)t, (void)values, (void)n;
}

void fmc_team_min(const fmc_team *t, double *values, size_t n)
{
    (void)t, (void)values, (void)n;
}

void fmc_team_max(const fmc_team *t, double *values, size_t n)
{
    (void)t, (void)values, (void)n;
}

void fmc_team_broadcast(const fmc_team *t, void *data, size_t bytes)
{
    (void)t, (void)data, (void)bytes;
}

fmc_status fmc_team_agree(const fmc_team *t, fmc_status status)
{
    (void)t;
    return status;
}

void fmc_team_post(const fmc_team *t, int tag, const void *data, size_t bytes)
{
    (void)t, (void)tag, (void)data, (void)bytes;
}

int fmc_team_poll(const fmc_team *t, int tag, void *data, size_t bytes, int *sender)
{
    (void)t, (void)tag, (void)data, (void)bytes, (void)sender;
    return 0;
}

void fmc_team_receive(const fmc_team *t, int tag, void *data, size_t bytes, int *sender)
{
    (void)tag, (void)data, (void)bytes, (void)sender;
    fmc_team_abort(t, EXIT_FAILURE);
}

fmc_status fmc_team_agree_idle(const fmc_team *t, fmc_status status)
{
    (void)t;
    return status;
}

#endif

/* A piece of work to deal: its cost and its index. */
typedef struct piece {
    double cost;
    size_t index;
} piece;

static int costliest_first(const void *a, const void *b)
{
    const piece *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

fmc_status fmc_team_assign(int processes, int groups, const double *costs, size_t count,
                           int *group_of)
{
    piece *order = malloc((count ? count : 1) * sizeof *order);
    double *load = calloc((size_t)groups, sizeof *load);
    int *members = calloc((size_t)groups, sizeof *members);
    if (!order || !load || !members) {
        free(order);
        free(load);
        free(members);
        return FMC_ENOMEM;
    }
    for (int r = 0; r < processes; r++)
        members[group_of_rank(r, groups, processes)]++;
    for (size_t i = 0; i < count; i++)
        order[i] = (piece){costs[i], i};
    qsort(order, count, sizeof *order, costliest_first);
    /* Longest processing time first (Graham 1969), on groups of unequal
     * speed: the largest pieces placed first leave the small ones to even
     * out the loads, within 4/3 of the best split for equal groups. */
    for (size_t k = 0; k < count; k++) {
        int best = 0;
        for (int g = 1; g < groups; g++)
            if ((load[g] + order[k].cost) * members[best] <
                (load[best] + order[k].cost) * members[g])
                best = g;
        load[best] += order[k].cost;
        group_of[order[k].index] = best;
    }
    free(order);
    free(load);
    free(members);
    return FMC_OK;
}

fmc_status fmc_team_deal(int processes, int groups, int group, const double *costs, size_t count,
                         size_t *mine, size_t *mine_count, fmc_team_inbox *inbox)
{
    int *group_of = malloc((count ? count : 1) * sizeof *group_of);
    if (!group_of)
        return FMC_ENOMEM;
    fmc_status status = fmc_team_assign(processes, groups, costs, count, group_of);
    *mine_count = 0;
    for (size_t i = 0; i < count && !status; i++) {
        if (group_of[i] == group)
            mine[(*mine_count)++] = i;
        else if (inbox) {
            inbox->awaited[group_of[i]]++;
            inbox->total++;
        }
    }
    free(group_of);
    return status;
}

int fmc_team_inbox_take(const fmc_team *team, int tag, const fmc_team_inbox *inbox, int wait,
                        void *data, size_t bytes)
{
    int sender;
    if (inbox->total == 0)
        return 0;
    if (!wait)
        return fmc_team_poll(team, tag, data, bytes, &sender);
    fmc_team_receive(team, tag, data, bytes, &sender);
    return 1;
}

void fmc_team_inbox_count(fmc_team_inbox *inbox, int group, int last)
{
    size_t ended = last ? inbox->awaited[group] : 1;
    inbox->awaited[group] -= ended;
    inbox->total -= ended;
}
