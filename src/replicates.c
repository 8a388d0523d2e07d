/* A run as one pooled pass and R replicate passes; replicates.h gives the
 * estimator (batch means over independent randomisations: Owen, "Monte
 * Carlo theory, methods and examples", 2013, ch. 17) and its cost.  The
 * spread of a figure over the replicates is kept with Welford's update
 * (Welford, Technometrics 4(3):419-420, 1962), replicate by replicate in
 * order, so the errors are the same bits on every process and thread
 * count, as the passes are. */
#include "funnelmc/replicates.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

double fmc_interval_factor(const fmc_design *design, double confidence)
{
    return design->replicates > 1 ? fmc_t_of_confidence(confidence, design->replicates)
                                  : fmc_z_of_confidence(confidence);
}

void fmc_run_result_errors(fmc_run_result *r, fmc_error_visit visit, void *context)
{
    for (int k = 0; k < FMC_SUMMARY_COUNT; k++)
        fmc_output_summary_errors(&r->outputs[k], visit, context);
    fmc_drivers_result_errors(&r->drivers, visit, context);
    fmc_lever_results_errors(&r->levers, visit, context);
    fmc_horizon_result_errors(&r->horizon, visit, context);
    fmc_portfolio_result_errors(&r->portfolio, visit, context);
    fmc_break_even_result_errors(&r->break_even, visit, context);
    fmc_correlation_check_result_errors(&r->correlations, visit, context);
}

/* The replicates' spread of every listed figure of the pooled result: the
 * groups of figures in listing order, and per figure its running mean and
 * sum of squared deviations over the replicates added so far. */
typedef struct spread {
    size_t groups, figures;
    size_t *count;      /* [groups] figures of each group in the pooled result */
    size_t *offset;     /* [groups] where its figures start */
    uint32_t *added;    /* [groups] replicates whose group had the pooled shape */
    double *mean, *m2;  /* [figures] */
    uint32_t replicate; /* the one being added */
    size_t group;       /* the visit's cursor */
} spread;

static void count_groups(void *context, const fmc_error_figures *f)
{
    spread *s = context;
    s->groups++;
    s->figures += f->count;
}

static void record_group(void *context, const fmc_error_figures *f)
{
    spread *s = context;
    s->count[s->group] = f->count;
    s->offset[s->group] = s->group ? s->offset[s->group - 1] + s->count[s->group - 1] : 0;
    s->group++;
}

static void spread_clear(spread *s)
{
    free(s->count);
    free(s->offset);
    free(s->added);
    free(s->mean);
    memset(s, 0, sizeof *s);
}

/* The groups and shapes of POOLED's listing.  FMC_OK or FMC_ENOMEM. */
static fmc_status spread_init(spread *s, fmc_run_result *pooled)
{
    memset(s, 0, sizeof *s);
    fmc_run_result_errors(pooled, count_groups, s);
    size_t groups = s->groups ? s->groups : 1;
    s->count = malloc(groups * sizeof *s->count);
    s->offset = malloc(groups * sizeof *s->offset);
    s->added = calloc(groups, sizeof *s->added);
    s->mean = calloc(2 * s->figures + 1, sizeof *s->mean);
    if (!s->count || !s->offset || !s->added || !s->mean) {
        spread_clear(s);
        return FMC_ENOMEM;
    }
    s->m2 = s->mean + s->figures;
    fmc_run_result_errors(pooled, record_group, s);
    s->group = 0;
    return FMC_OK;
}

/* Welford's update with the replicate's figures of one group, when the
 * group has the pooled shape (a NaN or infinite value makes its spread
 * NaN, as it should: the replicates cannot tell it). */
static void add_group(void *context, const fmc_error_figures *f)
{
    spread *s = context;
    size_t g = s->group++;
    if (g >= s->groups || f->count != s->count[g])
        return;
    double k = (double)s->replicate + 1;
    for (size_t i = 0; i < f->count; i++)
        fmc_running_add(&s->mean[s->offset[g] + i], &s->m2[s->offset[g] + i], f->figure[i], k);
    s->added[g]++;
}

static void spread_add(spread *s, fmc_run_result *replicate)
{
    s->group = 0;
    fmc_run_result_errors(replicate, add_group, s);
    s->replicate++;
}

/* What the errors are replaced with: replicates.h's formulas. */
typedef struct replacement {
    spread *spread;
    double t;
    uint64_t points, samples;  /* n, and R n */
} replacement;

static void replace_group(void *context, const fmc_error_figures *f)
{
    replacement *r = context;
    spread *s = r->spread;
    size_t g = s->group++;
    uint64_t cap = f->subsample ? f->subsample : UINT64_MAX;
    double m = (double)(r->points < cap ? r->points : cap);
    double all = (double)(r->samples < cap ? r->samples : cap);
    double scale = sqrt(m / all), replicates = (double)s->replicate;
    for (size_t i = 0; i < f->count; i++) {
        double se = s->added[g] == s->replicate
                        ? sqrt(s->m2[s->offset[g] + i] / (replicates - 1)) * scale
                        : NAN;
        if (f->se)
            f->se[i] = se;
        if (f->ci) {
            f->ci[i][0] = f->figure[i] - r->t * se;
            f->ci[i][1] = f->figure[i] + r->t * se;
        }
    }
}

/* Reports a pass's progress as part of the run's. */
typedef struct progress_window {
    fmc_progress_fn progress;
    void *context;
    uint64_t offset, total;
} progress_window;

static int window_progress(void *context, uint64_t done, uint64_t total)
{
    (void)total;
    progress_window *w = context;
    return w->progress(w->context, w->offset + done, w->total);
}

/* The options of a pass of SAMPLES samples: no stopping rule (the run's
 * is replicates.h's), progress through W. */
static fmc_run_options pass_options(const fmc_run_options *o, uint64_t samples, progress_window *w)
{
    fmc_run_options p = *o;
    p.samples = samples;
    p.precision_mean = 0;
    p.max_samples = 0;
    if (o->progress) {
        p.progress = window_progress;
        p.progress_context = w;
    }
    return p;
}

/* Runs replicate R of DESIGN (design->points samples) into *OUT and moves
 * the progress window past it. */
static fmc_status run_replicate(const fmc_scenario *s, const fmc_run_options *o,
                                const fmc_design *design, uint32_t r, progress_window *w,
                                fmc_run_result *out)
{
    fmc_run_options p = pass_options(o, design->points, w);
    p.sink = NULL;
    fmc_status status = fmc_simulate_pass(s, &p, design, (uint64_t)r * design->points, out);
    w->offset += design->points;
    return status;
}

/* The stopping rule (replicates.h): the points of DESIGN, doubled until
 * the replicate half-width of the mean profit is at most TARGET or R n
 * would pass MOST; *MET says which. */
static fmc_status find_points(const fmc_scenario *s, const fmc_run_options *o, double target,
                              uint64_t most, fmc_design *design, progress_window *w, int *met)
{
    fmc_run_options summary = *o;
    summary.drivers = summary.levers = summary.combine = summary.equivalents = 0;
    summary.portfolio = summary.break_even = 0;
    uint32_t R = design->replicates;
    uint64_t cap = most / R > 0 ? most / R : 1;
    if (design->method != FMC_DESIGN_MC && cap > FMC_MAX_DESIGN_POINTS)
        cap = FMC_MAX_DESIGN_POINTS;
    uint64_t n = ((uint64_t)FMC_CHECKPOINT_BLOCKS * FMC_BLOCK_SIZE + R - 1) / R;
    double t = fmc_t_of_confidence(s->confidence, R);
    for (design->points = n < cap ? n : cap;; ) {
        double mean = 0, m2 = 0;
        for (uint32_t r = 0; r < R; r++) {
            fmc_run_result replicate;
            fmc_status status = run_replicate(s, &summary, design, r, w, &replicate);
            if (status)
                return status;
            fmc_running_add(&mean, &m2, replicate.outputs[FMC_OUT_PROFIT].mean, r + 1);
            fmc_run_result_clear(&replicate);
        }
        *met = t * sqrt(m2 / (R - 1) / R) <= target;
        if (*met || design->points == cap)
            return FMC_OK;
        design->points = 2 * design->points < cap ? 2 * design->points : cap;
    }
}

/* The pooled pass and the replicate passes of DESIGN into *OUT, every
 * listed error replaced.  On failure *OUT holds what the caller clears. */
static fmc_status run_replicated(const fmc_scenario *s, const fmc_run_options *o,
                                 const fmc_design *design, progress_window *w,
                                 fmc_run_result *out)
{
    uint32_t R = design->replicates;
    fmc_run_options pooled = pass_options(o, R * design->points, w);
    fmc_status status = fmc_simulate_pass(s, &pooled, design, 0, out);
    w->offset += R * design->points;
    spread spread = {0};
    if (status == FMC_OK)
        status = fmc_team_agree(o->team, spread_init(&spread, out));
    for (uint32_t r = 0; r < R && status == FMC_OK; r++) {
        fmc_run_result replicate;
        status = run_replicate(s, o, design, r, w, &replicate);
        if (status)
            break;
        fmc_portfolio_result_align(&replicate.portfolio, &out->portfolio);
        spread_add(&spread, &replicate);
        fmc_run_result_clear(&replicate);
    }
    if (status == FMC_OK) {
        replacement r = {&spread, fmc_t_of_confidence(s->confidence, R), design->points,
                         R * design->points};
        spread.group = 0;
        fmc_run_result_errors(out, replace_group, &r);
        out->mean_half_width = r.t * out->outputs[FMC_OUT_PROFIT].se;
        fmc_correlation_check_rescore(&out->correlations);
    }
    spread_clear(&spread);
    return status;
}

fmc_status fmc_run_design(const fmc_scenario *s, const fmc_run_options *o, uint64_t samples,
                          fmc_design *out)
{
    fmc_design_method method = o->design_given ? o->design_method : s->sampling;
    uint32_t R = o->design_replicates       ? o->design_replicates
                 : method == s->sampling    ? s->replicates
                 : method == FMC_DESIGN_MC ? 1
                                            : FMC_DEFAULT_DESIGN_REPLICATES;
    if (R > FMC_MAX_DESIGN_REPLICATES || (R == 1 && method != FMC_DESIGN_MC))
        return FMC_EINVAL;
    uint64_t n = samples / R + (samples % R != 0);
    if (method != FMC_DESIGN_MC && n > FMC_MAX_DESIGN_POINTS)
        return FMC_EINVAL;
    *out = (fmc_design){method, R, n};
    return FMC_OK;
}

fmc_status fmc_simulate(const fmc_scenario *s, const fmc_run_options *o, fmc_run_result *out)
{
    memset(out, 0, sizeof *out);
    uint64_t most = o->max_samples ? o->max_samples : s->max_samples;
    uint64_t N = o->precision_mean > 0 ? most : o->samples ? o->samples : s->samples;
    fmc_design design;
    /* a stopping rule finds its points below the limit (find_points) */
    fmc_status status = fmc_run_design(s, o, o->precision_mean > 0 ? 0 : N, &design);
    if (status)
        return status;
    if (design.replicates == 1) {
        design.points = N;
        status = fmc_simulate_pass(s, o, &design, 0, out);
        if (status == FMC_OK)
            out->design = (fmc_design){design.method, 1, out->samples};
        return status;
    }
    double started = omp_get_wtime();
    fmc_run_options options = *o;
    fmc_sampler **samplers = NULL;
    if (!o->samplers) {
        status = fmc_team_agree(o->team, fmc_scenario_samplers_alloc(s, o->threads, &samplers));
        options.samplers = samplers;
    }
    progress_window w = {o->progress, o->progress_context, 0, 0};
    int met = 0;
    if (status == FMC_OK && o->precision_mean > 0) {
        w.total = 4 * most;
        status = find_points(s, &options, o->precision_mean, most, &design, &w, &met);
    } else {
        design.points = (N + design.replicates - 1) / design.replicates;
        w.total = 2 * design.replicates * design.points;
    }
    if (status == FMC_OK)
        status = run_replicated(s, &options, &design, &w, out);
    if (samplers)
        fmc_scenario_samplers_free(samplers, s->input_count);
    if (status) {
        fmc_run_result_clear(out);
        memset(out, 0, sizeof *out);
        return status;
    }
    out->precision_target = o->precision_mean > 0 ? o->precision_mean : 0;
    out->precision_met = met;
    out->design = design;
    out->seconds = omp_get_wtime() - started;
    return FMC_OK;
}
