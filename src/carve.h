/* Private: results that own many arrays of doubles take them from one
 * allocation, listed once as a table of (where to point, how many), so that
 * their layout cannot drift from their lengths. */
#ifndef FUNNELMC_CARVE_H
#define FUNNELMC_CARVE_H

#include <stddef.h>

typedef struct fmc_carving {
    double **array;  /* the result's field to point */
    size_t length;   /* doubles it gets */
} fmc_carving;

/* Doubles that CARVINGS[0 .. COUNT) need together. */
static inline size_t fmc_carving_total(const fmc_carving *carvings, size_t count)
{
    size_t total = 0;
    for (size_t k = 0; k < count; k++)
        total += carvings[k].length;
    return total;
}

/* Points each field of CARVINGS, in order, into BLOCK (of at least
 * fmc_carving_total doubles); the first gets BLOCK itself, which is what
 * the owner frees. */
static inline void fmc_carve(double *block, const fmc_carving *carvings, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        *carvings[k].array = block;
        block += carvings[k].length;
    }
}

#endif
