#include "funnelmc/analysis.h"

#include <string.h>
#include "funnelmc/sensitivity.h"

fmc_analysis_options fmc_analysis_options_default(void)
{
    fmc_analysis_options o;
    memset(&o, 0, sizeof o);
    o.run = fmc_run_options_default();
    o.precision_mean = o.precision_sobol = -1;
    return o;
}

void fmc_analysis_clear(fmc_analysis *a)
{
    if (!a)
        return;
    fmc_run_result_clear(&a->result);
    fmc_tornado_clear(&a->tornado);
    fmc_sobol_result_clear(&a->sobol);
}

fmc_status fmc_analyse(const fmc_scenario *s, const fmc_analysis_options *o, fmc_analysis *out)
{
    memset(out, 0, sizeof *out);
    fmc_run_options run = o->run;
    out->summary_only = o->summary_only;
    out->has_levers = !o->summary_only && s->lever_count > 0;
    out->has_sobol = !o->summary_only && s->sobol;
    run.drivers = !o->summary_only;
    run.levers = out->has_levers;
    run.combine = o->combine || s->combine_levers;
    run.equivalents = out->has_levers;
    run.portfolio = out->has_levers && s->budget.given;
    run.break_even = !o->summary_only;
    run.precision_mean = o->precision_mean >= 0 ? o->precision_mean : s->precision_mean;
    out->failed = "simulation";
    fmc_status status = fmc_simulate(s, &run, &out->result);
    if (status == FMC_OK && !o->summary_only) {
        out->failed = "tornado";
        status = fmc_tornado_compute(s, &out->tornado);
        /* the Sobol design is shared: every process enters it, or none */
        status = fmc_team_agree(run.team, status);
    }
    if (status == FMC_OK && out->has_sobol) {
        out->failed = "Sobol indices";
        fmc_sobol_plan plan = {o->base_samples ? o->base_samples : s->base_samples,
                               out->result.seed, run.threads, s->confidence,
                               o->precision_sobol >= 0 ? o->precision_sobol : s->precision_sobol,
                               s->max_base_samples, run.team,
                               out->result.design.method, out->result.design.replicates};
        status = fmc_sensitivity_sobol(s, &plan, &out->sobol);
    }
    if (status) {
        const char *failed = out->failed;
        fmc_analysis_clear(out);
        out->failed = failed;
        return status;
    }
    out->failed = NULL;
    return FMC_OK;
}
