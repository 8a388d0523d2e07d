/* What the readers of results files share (private to the library): checked
 * reads of one attribute or dataset each, which name the object in the
 * problem they report, and the readers of each part of a layout.
 *
 * Every function returning int returns 1 on success and 0 on failure, after
 * filling the reader's problem (the first problem is kept: later failures
 * do not overwrite it).  Paths are relative to LOC (a file or a group) and
 * are reported from the file's root: the reader knows LOC's own path.
 * Nothing is read before its class, type and shape are checked. */
#ifndef FUNNELMC_RESULTS_READ_INTERNAL_H
#define FUNNELMC_RESULTS_READ_INTERNAL_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>
#include "funnelmc/analysis.h"
#include "funnelmc/results_read.h"

/* The state of one read: where problems go, and the root's path of the
 * group being read ("" for the file's root, "/shop" for a batch part). */
typedef struct fmc_reader {
    fmc_read_problem *problem;
    int failed;              /* a problem was reported */
    fmc_status status;       /* its status: FMC_EHDF5, FMC_ENOMEM, ... */
    char prefix[256];
} fmc_reader;

/* Reports problem FORMAT about object NAME of LOC's group (NAME NULL: the
 * group itself), with STATUS; the first report wins.  Returns 0. */
int fmc_read_fail(fmc_reader *r, fmc_status status, const char *name, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* Whether LOC has a link or an attribute NAME (absent is not a problem:
 * for the objects the layout's "when" column makes optional). */
int fmc_read_has(hid_t loc, const char *name);
int fmc_read_has_attr(hid_t loc, const char *name);

/* Scalar attributes: a float64, a uint64 (an unsigned integer of at most
 * 8 bytes), an int32, a string (copied into BUFFER of SIZE bytes; longer
 * is a problem). */
int fmc_read_attr_double(fmc_reader *r, hid_t loc, const char *name, double *out);
int fmc_read_attr_u64(fmc_reader *r, hid_t loc, const char *name, uint64_t *out);
int fmc_read_attr_int(fmc_reader *r, hid_t loc, const char *name, int *out);
int fmc_read_attr_text(fmc_reader *r, hid_t loc, const char *name, char *buffer, size_t size);
/* A string attribute of any length, malloc'd into *OUT. */
int fmc_read_attr_text_alloc(fmc_reader *r, hid_t loc, const char *name, char **out);
/* A float64 attribute of N values (e.g. median_ci [2]). */
int fmc_read_attr_doubles(fmc_reader *r, hid_t loc, const char *name, size_t n, double *out);

/* Datasets of RANK dimensions DIMS exactly (RANK 1 to 4; a dimension of
 * 0 is an empty dataset): float64 into OUT, uint64 into OUT, int32 (an
 * integer of at most 4 bytes: a sweep's lever indices) into OUT. */
int fmc_read_doubles(fmc_reader *r, hid_t loc, const char *name, int rank,
                     const size_t *dims, double *out);
int fmc_read_u64s(fmc_reader *r, hid_t loc, const char *name, int rank, const size_t *dims,
                  uint64_t *out);
int fmc_read_ints(fmc_reader *r, hid_t loc, const char *name, int rank, const size_t *dims,
                  int *out);
/* A 1-D dataset of N strings, each copied into OUT + i * SIZE (SIZE
 * bytes each; longer is a problem). */
int fmc_read_strings(fmc_reader *r, hid_t loc, const char *name, size_t n, char *out,
                     size_t size);
/* The length of the 1-D dataset NAME into *N (any type): for the counts a
 * file gives (levers, pairs, warnings). */
int fmc_read_length(fmc_reader *r, hid_t loc, const char *name, size_t *n);

/* Opens group NAME of LOC (close it with H5Gclose), or reports it
 * missing and returns H5I_INVALID_HID. */
hid_t fmc_read_group(fmc_reader *r, hid_t loc, const char *name);

/* Every figure of O unknown (NaN, counts 0): what a file does not hold of
 * a summary it keeps in part (src/results_read.c). */
void fmc_read_output_unknown(fmc_output_summary *o);

/* Allocates N zeroed elements of SIZE bytes, or reports FMC_ENOMEM and
 * returns NULL (N 0 gives a valid pointer to free). */
void *fmc_read_calloc(fmc_reader *r, size_t n, size_t size);

/* ----- before HDF5 opens the file (src/results_read_heap.c) ----- */

/* Checks that every global heap collection of the HDF5 file at PATH holds
 * objects that fit in it (HDF5 1.10.8 trusts their sizes and crashes on a
 * damaged one).  1 when they do, or when the check does not apply (a
 * superblock after a user block or of an unknown version, lengths wider
 * than 8 bytes); else 0 with the problem reported: FMC_EHDF5 "damaged: a
 * global heap collection at byte N ...", FMC_EIO (errno kept) or
 * FMC_ENOMEM.  Memory is fixed whatever the file's size. */
int fmc_read_check_heaps(fmc_reader *r, const char *path);

/* ----- the parts of a run (src/results_read_analysis.c) ----- */

/* Reads, from the run-file group LOC of SCENARIO (the root, or a batch
 * part), what fmc_results_write_analysis wrote besides the root, /inputs,
 * /outputs and /horizon: /tornado, the drivers of /sensitivity and
 * /tornado/monte_carlo, the Sobol indices, /levers (pairs, periods,
 * paybacks, equivalents, value of information), /break_even and
 * /portfolio -- each when the file has it -- into A, whose result's
 * samples, outputs, horizon and design are already read.  Sets
 * A->summary_only, has_levers and has_sobol as the file shows. */
int fmc_read_analysis_parts(fmc_reader *r, hid_t loc, const fmc_scenario *scenario,
                            fmc_analysis *a);

#endif
