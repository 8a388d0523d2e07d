/* A team: the processes that share one piece of work (a run, a sweep, a
 * batch), each with its OpenMP threads.
 *
 * Built with FUNNELMC_MPI and started by mpirun (or srun), the program's
 * team is every process of the MPI job (MPI_COMM_WORLD); otherwise, and
 * whenever a function takes a NULL team, it is this process alone, and
 * every collective below is a no-op that costs nothing.  The library never
 * calls MPI anywhere else: this module is the one door to it.
 *
 * Collectives must be called by every process of the team, in the same
 * order.  Within a process, every function here that may reach MPI (the
 * collectives, post, poll, receive, free, stop) is called from one thread
 * at a time, whichever thread it is (MPI_THREAD_SERIALIZED): the caller
 * serialises the calls of its OpenMP threads, as a sweep does under one
 * critical section.  A failure inside MPI ends the whole job (MPI's
 * default error handler): a dead process never leaves the others waiting.
 *
 * Work is shared in slots: a round of COUNT slots is cut into contiguous
 * shares, one per process in rank order (fmc_team_share); each process fills
 * its share, and fmc_team_allgather_slots gives every process every slot.
 * Every process then holds the same bytes, merges them in slot order, and
 * so reaches the same results and decisions with no further message. */
#ifndef FUNNELMC_TEAM_H
#define FUNNELMC_TEAM_H

#include <stddef.h>
#include <stdint.h>
#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef struct fmc_team fmc_team;

/* 1 when the library was built with MPI (FUNNELMC_MPI). */
int fmc_team_mpi_built(void);

/* Starts the program's team from main's ARGC and ARGV: with MPI, every
 * process of the job (MPI_Init_thread); else this process alone.  FMC_OK
 * and *OUT, freed by fmc_team_stop; or FMC_ENOMEM; or, with MPI,
 * FMC_EINVAL when Slurm's srun started this process as one of several tasks
 * without an MPI plugin (plain `srun -n 4` where Slurm's default is none),
 * whose tasks would each run the whole job alone.  An MPI library without
 * MPI_THREAD_SERIALIZED ends the job: rank 0 says so on standard error and
 * every process exits with EXIT_FAILURE. */
fmc_status fmc_team_start(int *argc, char ***argv, fmc_team **out);
/* Ends the team of fmc_team_start (MPI_Finalize: every process calls it);
 * WORLD may be NULL. */
void fmc_team_stop(fmc_team *world);
/* Ends every process of the job at once with exit status STATUS
 * (MPI_Abort), for a failure that the other processes cannot know of; for a
 * lone process, exit(STATUS). */
_Noreturn void fmc_team_abort(const fmc_team *team, int status);

/* This process's rank in TEAM, 0 .. size - 1; 0 for NULL. */
int fmc_team_rank(const fmc_team *team);
/* The processes of TEAM; 1 for NULL. */
int fmc_team_size(const fmc_team *team);

/* Collective: cuts TEAM into GROUPS groups of consecutive ranks (1 <= GROUPS
 * <= size), sizes differing by at most one: rank r joins group
 * r * GROUPS / size, keeping its order.  FMC_OK, *GROUP and *OUT (freed by
 * fmc_team_free); FMC_EINVAL for GROUPS out of range (on every process
 * alike, before any message); or, for a team of one, FMC_ENOMEM.  A process
 * of a larger team that lacks the memory of its new team ends the job
 * (fmc_team_abort): the others have made theirs already. */
fmc_status fmc_team_split(const fmc_team *team, int groups, int *group, fmc_team **out);
/* Frees a team of fmc_team_split; TEAM may be NULL. */
void fmc_team_free(fmc_team *team);

/* This process's share of COUNT slots: [*FIRST, *END), contiguous, the
 * shares in rank order and their sizes differing by at most one. */
void fmc_team_share(const fmc_team *team, size_t count, size_t *first, size_t *end);

/* Collective: SLOTS holds COUNT slots of BYTES each, this process's share
 * (fmc_team_share) filled; on return every process holds every slot. */
void fmc_team_allgather_slots(const fmc_team *team, void *slots, size_t bytes, size_t count);
/* Collective: the same, but only rank 0 receives the other shares. */
void fmc_team_gather_slots(const fmc_team *team, void *slots, size_t bytes, size_t count);

/* Collective: VALUES[0 .. N) become, on every process, the element-wise sum
 * (integers: exact, so order-free), minimum or maximum over the team. */
void fmc_team_sum_u64(const fmc_team *team, uint64_t *values, size_t n);
void fmc_team_sum_i64(const fmc_team *team, int64_t *values, size_t n);
void fmc_team_min(const fmc_team *team, double *values, size_t n);
void fmc_team_max(const fmc_team *team, double *values, size_t n);

/* Collective: DATA[0 .. BYTES) of rank 0 copied to every process. */
void fmc_team_broadcast(const fmc_team *team, void *data, size_t bytes);

/* Collective: the status every process is to act on, given its own: FMC_OK
 * when all are; else the largest code any process has (so every process
 * fails alike, and none waits for one that gave up). */
fmc_status fmc_team_agree(const fmc_team *team, fmc_status status);

/* Messages to rank 0, for work that processes finish at their own pace (a
 * sweep's points, a batch's scenarios): rank 0 takes them as they come, in
 * whatever order they arrive, and so must never depend on that order.
 *
 * Sends DATA[0 .. BYTES) to rank 0 of TEAM with TAG (>= 0) and returns at
 * once: the bytes are copied, and the message is delivered while this
 * process goes on (fmc_team_free and fmc_team_stop wait for every message
 * to be delivered).  Only the other ranks post (rank 0 keeps its own work);
 * any thread may post, one at a time (see above). */
void fmc_team_post(const fmc_team *team, int tag, const void *data, size_t bytes);
/* On rank 0: when a message of TAG has arrived, receives it into
 * DATA[0 .. BYTES) (BYTES at least its size), sets *SENDER to its sender's
 * rank and returns 1; else returns 0 at once. */
int fmc_team_poll(const fmc_team *team, int tag, void *data, size_t bytes, int *sender);
/* On rank 0: the same, but waits for a message of TAG (there must be one
 * to come: on a team of one there never is, and the job is ended). */
void fmc_team_receive(const fmc_team *team, int tag, void *data, size_t bytes, int *sender);

/* What this process has exchanged through every team of more than one
 * process since it started: the collectives it took part in, and the bytes
 * it contributed to them. */
typedef struct fmc_team_traffic {
    uint64_t collectives;
    uint64_t bytes;
} fmc_team_traffic;

fmc_team_traffic fmc_team_traffic_total(void);

/* Deals COUNT pieces of work (a sweep's points, a batch's scenarios) of
 * estimated COSTS among the GROUPS groups that fmc_team_split makes of a
 * team of PROCESSES (1 <= GROUPS <= PROCESSES): the costliest first (ties:
 * the lower index), each to the group that would finish it soonest, its
 * cost so far plus this one over its processes (ties: the lower group).
 * GROUP_OF[i] gets piece i's group, the same on every process with no
 * message exchanged.  Takes O(COUNT x GROUPS) time.  FMC_OK, or
 * FMC_ENOMEM. */
fmc_status fmc_team_assign(int processes, int groups, const double *costs, size_t count,
                           int *group_of);
/* What rank 0 awaits from the groups whose leaders post to it the pieces
 * of work they finish, each group in its order; a message may end its
 * group's stream early (a failure, a cancellation). */
typedef struct fmc_team_inbox {
    size_t *awaited;  /* [group] messages still to come, the caller's array */
    size_t total;     /* their sum */
} fmc_team_inbox;

/* Deals COUNT pieces of estimated COSTS among GROUPS groups of a team of
 * PROCESSES as fmc_team_assign does, GROUP being this process's (the group
 * fmc_team_split gives it): the indices of GROUP's pieces, in increasing
 * order, into MINE (room for COUNT) and their number into *MINE_COUNT; with
 * INBOX (or NULL; its array of GROUPS counts), the pieces of every other
 * group added to what it awaits.  No message is exchanged.  FMC_OK, or
 * FMC_ENOMEM. */
fmc_status fmc_team_deal(int processes, int groups, int group, const double *costs, size_t count,
                         size_t *mine, size_t *mine_count, fmc_team_inbox *inbox);
/* On rank 0, while INBOX awaits a message: receives the next of TAG into
 * DATA[0 .. BYTES), with WAIT waiting for it, else only one already
 * arrived, and returns 1; else 0.  The caller then counts it
 * (fmc_team_inbox_count). */
int fmc_team_inbox_take(const fmc_team *team, int tag, const fmc_team_inbox *inbox, int wait,
                        void *data, size_t bytes);
/* A message of GROUP taken: one less awaited, or with LAST, none more. */
void fmc_team_inbox_count(fmc_team_inbox *inbox, int group, int last);
/* Collective: fmc_team_agree for processes that idle while others of the
 * team work (the ranks a benchmark leaves out of a measurement): one that
 * waits sleeps, testing every millisecond, rather than spinning in MPI, so
 * that it leaves its core to the processes at work. */
fmc_status fmc_team_agree_idle(const fmc_team *team, fmc_status status);

#pragma GCC visibility pop

#endif
