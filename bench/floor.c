/* The floor: the least work any run of a scenario must do.  It draws exactly
 * the random words funnelmc draws for the scenario (the same Philox4x32-10
 * calls, the same uncertain slots, in blocks of FMC_BLOCK_SIZE over OpenMP
 * threads), turns each into its uniform and sums them -- no distributions,
 * no model, no statistics.  bench/run.sh compares funnelmc's time with it.
 * (Samples past the last whole group of eight in a block are drawn but not
 * summed; the sum only keeps the compiler from skipping the draws.)
 *
 * usage: floor SCENARIO [-n N] [-j THREADS] */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "funnelmc/engine.h"
#include "funnelmc/sampler.h"
#include "funnelmc/scenario.h"
#include "funnelmc/stream.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: floor SCENARIO [-n N] [-j THREADS]\n");
        return 2;
    }
    fmc_diagnostics diags;
    fmc_diagnostics_init(&diags);
    fmc_scenario *s = NULL;
    if (fmc_scenario_load_file(argv[1], &s, &diags)) {
        fmc_diagnostics_print(&diags, stderr);
        return 2;
    }
    fmc_diagnostics_clear(&diags);
    uint64_t samples = s->samples;
    int threads = omp_get_max_threads();
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-n") == 0)
            samples = (uint64_t)strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "-j") == 0)
            threads = atoi(argv[i + 1]);
    }
    size_t slots = s->input_count, uncertain = 0;
    for (size_t j = 0; j < slots; j++)
        uncertain += s->inputs[j].dist.kind != FMC_DIST_CONSTANT;

    uint64_t blocks = (samples + FMC_BLOCK_SIZE - 1) / FMC_BLOCK_SIZE;
    double total = 0, started = omp_get_wtime();
    #pragma omp parallel num_threads(threads) reduction(+ : total)
    {
        uint32_t *words[FMC_FUNNEL_INPUT_COUNT + FMC_MAX_COST_LINES] = {0};
        for (size_t j = 0; j < slots; j++)
            if (s->inputs[j].dist.kind != FMC_DIST_CONSTANT)
                words[j] = malloc(FMC_BLOCK_SIZE * sizeof *words[j]);
        #pragma omp for schedule(dynamic, 1)
        for (uint64_t b = 0; b < blocks; b++) {
            uint64_t first = b * FMC_BLOCK_SIZE;
            size_t n = samples - first < FMC_BLOCK_SIZE ? (size_t)(samples - first) : FMC_BLOCK_SIZE;
            fmc_stream_fill(s->seed, FMC_PURPOSE_SAMPLES, first, n, slots, words);
            /* Eight independent partial sums: a single running sum would be
             * a chain of dependent adds, slower than the generator itself,
             * and would flatter funnelmc. */
            double lanes[8] = {0};
            for (size_t j = 0; j < slots; j++)
                if (words[j])
                    for (size_t i = 0; i + 8 <= n; i += 8)
                        for (int l = 0; l < 8; l++)
                            lanes[l] += fmc_word_to_uniform(words[j][i + l]);
            for (int l = 0; l < 8; l++)
                total += lanes[l];
        }
        for (size_t j = 0; j < slots; j++)
            free(words[j]);
    }
    double seconds = omp_get_wtime() - started;
    printf("floor: %llu samples x %zu uniforms, %d threads: %.3f s, %.1f M samples/s "
           "(mean uniform %.6f)\n",
           (unsigned long long)samples, uncertain, threads, seconds, samples / seconds / 1e6,
           total / ((double)samples * (double)uncertain));
    fmc_scenario_free(s);
    return 0;
}
