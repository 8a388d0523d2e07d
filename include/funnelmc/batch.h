/* A resumable batch: many scenarios analysed into one file, as `funnelmc
 * batch` does.
 *
 * Each scenario is analysed (analysis.h) and written at once, atomically,
 * to its part file TARGET.parts/NAME.h5: the run layout plus its row of the
 * /batch table (results.h).  An interrupted batch (even by SIGKILL) thus
 * loses only the scenario under way; run again with resume set, it keeps
 * every part found complete for the same scenario file and redoes the
 * others, with the same results as an uninterrupted batch.  When every
 * scenario is done the parts are assembled into TARGET (atomically), then
 * removed with the parts directory and any temporary that a killed batch
 * left there (a running writer's are kept).
 *
 * Across the P processes of options.analysis.run.team (every one calling
 * fmc_batch_run with the same arguments but the callbacks' contexts), the
 * team is cut into G = min(P, scenarios to do) groups of consecutive ranks
 * and the scenarios are dealt among them by their samples (times their
 * horizon's periods), the costliest first, each to the group that would
 * finish it soonest (fmc_team_assign); a group analyses its scenarios in
 * order, each one's work shared by its processes (the group's team in the
 * run options), and its leader writes each part at once.  The parts
 * directory must thus be on a file system every process shares, as on
 * every cluster; a process that dies loses only its group's scenario under
 * way.  The team's rank 0 alone checks TARGET, makes the parts directory,
 * decides which parts to keep, and assembles TARGET once every group is
 * done; the other groups' leaders post each scenario's row to it as they
 * finish.  A group stops at its first failure; the others finish their
 * scenarios, kept for a resume. */
#ifndef FUNNELMC_BATCH_H
#define FUNNELMC_BATCH_H

#include <stddef.h>
#include "funnelmc/analysis.h"
#include "funnelmc/engine.h"
#include "funnelmc/error.h"
#include "funnelmc/results.h"
#include "funnelmc/scenario.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* One scenario of a batch. */
typedef struct fmc_batch_scenario {
    const fmc_scenario *scenario;
    const char *file;  /* the scenario file as given: kept in the row, and a
                        * part is resumed only when it was made from it */
} fmc_batch_scenario;

/* Called after each scenario, in order: on success (STATUS FMC_OK) with its
 * ROW, RESUMED 1 when the part was kept from an earlier batch; on failure
 * with the status of the analysis or of writing PART, and ROW NULL (the
 * batch then stops; errno is still the failure's, for a message).  PART is
 * the scenario's part file; PART and ROW are valid during the call only.
 * With a team of several processes, called on its rank 0 only, for every
 * scenario whichever group ran it, still in order (a scenario is reported
 * once every one before it is), and from the thread and the moment rank 0
 * learns of it (possibly within its progress). */
typedef void (*fmc_batch_scenario_fn)(void *context, size_t index, const char *part,
                                      fmc_status status, const fmc_batch_row *row, int resumed);

typedef struct fmc_batch_options {
    /* For every scenario: samples (0: each scenario's own), threads,
     * summary_only, cancel, ...; run.progress, run.sink and their contexts
     * are not used (see progress below). */
    fmc_analysis_options analysis;
    int resume;                   /* keep the complete parts of an earlier batch */
    /* 1: also run every scenario's sweeps (sweep.h) into its part, as
     * /sweeps (results.h), each grid point with analysis.run.samples when
     * set, else the sweep's own samples */
    int sweeps;
    /* Progress over the whole batch, in samples (the scenarios finished or
     * resumed, plus the current one's); non-zero cancels.  May be NULL.
     * With a team of several processes, the team's rank 0 counts every
     * group's scenarios, the others their group's. */
    fmc_progress_fn progress;
    void *progress_context;
    fmc_batch_scenario_fn scenario_done;  /* may be NULL */
    void *scenario_context;
} fmc_batch_options;

/* What a batch did, and where it stopped on failure. */
typedef enum fmc_batch_step {
    FMC_BATCH_TARGET,    /* TARGET cannot be written (fmc_h5file_check_target) */
    FMC_BATCH_PARTS,     /* the parts directory cannot be made */
    FMC_BATCH_SCENARIO,  /* scenario INDEX: a duplicate name, or its analysis or part failed */
    FMC_BATCH_ASSEMBLY   /* writing TARGET from the parts failed */
} fmc_batch_step;

typedef struct fmc_batch_outcome {
    size_t completed;      /* scenarios whose part is complete (on FMC_OK all, now in TARGET) */
    size_t resumed;        /* of which kept from an earlier batch */
    fmc_batch_step failed; /* on failure, the step */
    size_t index;          /* with FMC_BATCH_SCENARIO, the scenario */
} fmc_batch_outcome;

/* Options with every field at its default (no resume, no callbacks). */
fmc_batch_options fmc_batch_options_default(void);

/* The parts directory of TARGET, "TARGET.parts" (malloc'd: free it), or
 * NULL when out of memory. */
char *fmc_batch_parts_dir(const char *target);

/* Runs the COUNT scenarios of SCENARIOS (their names must differ: each is a
 * group of TARGET and a part file) into TARGET, with OPTIONS (not NULL; from
 * fmc_batch_options_default).  The scenarios and OPTIONS are only read, and
 * nothing keeps a pointer to them after the call.  COUNT 0 writes a batch
 * file with an empty table.  Returns FMC_OK with
 * out->completed == COUNT and the parts directory removed; or the failure,
 * with out->failed saying where: FMC_EIO or FMC_EFOREIGN (TARGET, before any
 * work; errno EISDIR for a directory), FMC_EIO (errno kept: the parts
 * directory), FMC_EINVAL (two scenarios of one name), FMC_ECANCELLED
 * (options->analysis.run.cancel was raised or progress returned non-zero),
 * a scenario's analysis status (fmc_analyse), a part's or TARGET's writing
 * status (fmc_h5file_create, the writers, fmc_h5file_commit), or
 * FMC_ENOMEM.  On failure TARGET is untouched and the complete parts stay
 * for a later resume.  OUT may be NULL.  With a team of several processes
 * every process returns the same status, and *OUT and errno are rank 0's;
 * parts of scenarios after the failed one that other groups completed stay
 * too (out->completed counts the scenarios reported before it). */
fmc_status fmc_batch_run(const char *target, const fmc_batch_scenario *scenarios, size_t count,
                         const fmc_batch_options *options, fmc_batch_outcome *out);

/* The row of ANALYSIS of SCENARIO read from FILE_NAME: its name and file
 * (cut to the row's sizes), profit's mean, se, sd, P(loss) and its se, the
 * lever of largest mean net gain ("" without levers), and the period the
 * figures are per: the scenario's `period`, or over a horizon of T periods
 * "T <period>s" (cumulative). */
void fmc_batch_row_of(const fmc_scenario *scenario, const char *file_name,
                      const fmc_analysis *analysis, fmc_batch_row *row);

#pragma GCC visibility pop

#endif
