#define _POSIX_C_SOURCE 200809L
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "cli.h"

/* Drawing starts only after this many seconds, so short runs stay quiet. */
#define QUIET_SECONDS 0.5
#define REDRAW_SECONDS 0.1
/* Where stderr is not a terminal but a job's log (mpirun gives rank 0 a
 * pipe; Slurm a file), a line now and then instead of a redrawn bar. */
#define LINE_SECONDS 10
#define BAR_WIDTH 30

static volatile sig_atomic_t interrupted;

static void on_signal(int signal_number)
{
    interrupted = signal_number;
}

const volatile sig_atomic_t *interruption_flag(void)
{
    return &interrupted;
}

void progress_start(progress_bar *bar, int quiet)
{
    struct sigaction action = {0};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    /* the library gives rank 0 the counts of the whole team; the others
     * draw nothing */
    bar->as_lines = !isatty(STDERR_FILENO);
    bar->enabled = !quiet && cli_is_leader() &&
                   (!bar->as_lines || fmc_team_size(cli_world) > 1);
    bar->started = omp_get_wtime();
    bar->last_drawn = 0;
    bar->drawn = 0;
}

int progress_update(void *context, uint64_t done, uint64_t total)
{
    progress_bar *bar = context;
    if (interrupted)
        return 1;
    double now = omp_get_wtime(), elapsed = now - bar->started;
    double every = bar->as_lines ? LINE_SECONDS : REDRAW_SECONDS;
    if (!bar->enabled || elapsed < (bar->as_lines ? LINE_SECONDS : QUIET_SECONDS) ||
        now - bar->last_drawn < every)
        return 0;
    double share = total ? (double)done / (double)total : 1.0;
    int filled = (int)(share * BAR_WIDTH);
    double rate = (double)done / elapsed;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    if (bar->as_lines)
        fprintf(stderr, "progress: %.1f%% of %.3g samples, %.3g M samples/s, ETA %.0f s\n",
                100 * share, (double)total, rate / 1e6, eta);
    else
        fprintf(stderr, "\r[%.*s%*s] %5.1f%%  %.3g M samples/s  ETA %.0f s ", filled,
                "##############################", BAR_WIDTH - filled, "", 100 * share,
                rate / 1e6, eta);
    fflush(stderr);
    bar->last_drawn = now;
    bar->drawn = !bar->as_lines;
    return 0;
}

void progress_clear(progress_bar *bar)
{
    if (bar->drawn)
        fprintf(stderr, "\r%*s\r", BAR_WIDTH + 50, "");
    bar->drawn = 0;
}

void progress_finish(progress_bar *bar)
{
    progress_clear(bar);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
}
