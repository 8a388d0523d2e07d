/* An HDF5 output file written atomically, after git's lockfile.
 *
 * Everything goes to a temporary file beside the target (".NAME.tmp-PID-
 * XXXXXX" in the same directory).  Commit closes it, flushes it to the disk
 * (fsync), renames it over the target and flushes the directory, so that
 * after a crash or a power cut the target name holds either the earlier
 * file, untouched, or the complete new one, never a part.  An aborted or
 * failed write removes the temporary file.  A writer killed outright
 * (SIGKILL, power loss) leaves its temporary behind; the PID in the name
 * lets the next writer of the same target see that it is dead and remove it.
 *
 * One writer at a time, after git's index.lock: a writer holds the lock
 * file "TARGET.lock" beside the target from create to commit or abort, and
 * a second writer of the same target fails at once (FMC_ELOCKED) instead of
 * silently replacing the first one's file.  The lock is a flock on that
 * file, which the kernel drops when its holder dies, so the file a killed
 * writer leaves is stale by construction and the next writer takes it.
 *
 * Only funnelmc's own results files (and empty files) are ever replaced:
 * anything else under the target name is refused (FMC_EFOREIGN).  The
 * layouts written into the file are results.h's. */
#ifndef FUNNELMC_H5FILE_H
#define FUNNELMC_H5FILE_H

#include "funnelmc/error.h"

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* The root attribute "format" that marks a funnelmc results file, and the
 * version of the layout contract (docs/hdf5-layout.md). */
#define FMC_FORMAT_NAME "funnelmc-results"
#define FMC_FORMAT_VERSION 1

typedef struct fmc_h5file fmc_h5file;

/* Whether TARGET may be written: FMC_OK when it does not exist, is empty or
 * is an earlier funnelmc results file (its root attribute "format" is
 * FMC_FORMAT_NAME); FMC_EIO with errno EISDIR for a directory; FMC_EFOREIGN
 * for anything else.  For callers that want to know before long work;
 * fmc_h5file_create checks it too. */
fmc_status fmc_h5file_check_target(const char *target);

/* Takes the writer's lock of TARGET and opens a new temporary HDF5 file
 * beside it (its directory must exist), first removing the temporaries of
 * TARGET that dead writers left.
 * The temporary has the permissions a plain creat() would give under the
 * umask.  Returns FMC_OK and *OUT (finish it with fmc_h5file_commit or
 * fmc_h5file_abort); or, with *OUT untouched and nothing left on disk:
 * FMC_EIO (errno says why: EISDIR when TARGET is a directory, ENOENT when
 * its directory does not exist, EACCES when that is not writable, ...),
 * FMC_ELOCKED (another live process is writing TARGET),
 * FMC_EFOREIGN (TARGET exists and is not a funnelmc results file: it is
 * never overwritten), FMC_EHDF5 or FMC_ENOMEM. */
fmc_status fmc_h5file_create(const char *target, fmc_h5file **out);

/* Closes the temporary file, syncs it to the disk, renames it over the
 * target, syncs the directory and releases the lock; frees FILE (which must not be NULL; close
 * every dataset a writer holds open first, as fmc_results_samples_end
 * does).  Returns FMC_OK; FMC_EHDF5 when HDF5 could not close the file (a
 * full disk: errno is ENOSPC), or FMC_EIO (errno kept) when the sync or the
 * rename failed: in both cases the temporary file is removed and the target
 * is untouched.  FMC_EIO also when syncing the directory after the rename
 * failed: the new file is then in place, but a power cut could still undo
 * the rename (a directory that cannot be synced at all, EINVAL, is not an
 * error). */
fmc_status fmc_h5file_commit(fmc_h5file *file);

/* Closes and removes the temporary file, releases the lock and frees
 * FILE; the target is untouched.  fmc_h5file_abort(NULL) does nothing. */
void fmc_h5file_abort(fmc_h5file *file);

/* The temporary file's path, for messages; valid until commit or abort. */
const char *fmc_h5file_temp_path(const fmc_h5file *file);

/* Removes from DIR every temporary results file (".NAME.tmp-PID-XXXXXX", of
 * any NAME) whose writer is no longer running, and every lock file
 * ("NAME.lock") no writer holds (a writer killed between its commit and its
 * unlock leaves one); a live writer's stay, and so does every other file.  For callers that own a directory of results, such
 * as a batch's parts.  Errors (DIR unreadable, a file that cannot be
 * removed) are ignored: the temporaries then stay for a later call. */
void fmc_h5file_remove_stale_temporaries(const char *dir);

#pragma GCC visibility pop

#endif
