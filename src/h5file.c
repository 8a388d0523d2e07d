/* The atomic HDF5 output file: temporary beside the target, commit by
 * fsync + rename + directory fsync (the order a journaled file system needs
 * for "old or new, never a part" to survive a power cut), stale-temporary
 * cleanup, refusal of foreign files, and the writer's lock beside the
 * target. */
#define _POSIX_C_SOURCE 200809L
#include "funnelmc/h5file.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "results_internal.h"

struct fmc_h5file {
    char *target;
    char *temp;
    int fd;      /* mkstemp's descriptor of the temporary, kept for fsync */
    hid_t file;
    char *lock;  /* "TARGET.lock" */
    int lock_fd; /* holds the flock on it */
};

hid_t fmc_h5file_handle(const fmc_h5file *f)
{
    return f->file;
}

const char *fmc_h5file_temp_path(const fmc_h5file *f)
{
    return f->temp;
}

/* ".BASE.tmp-PID-XXXXXX" in TARGET's directory: the PID tells a later run
 * whether the writer is still alive. */
static char *temp_template(const char *target)
{
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dir_len;
    size_t n = strlen(target) + 40;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%.*s.%s.tmp-%ld-XXXXXX", (int)dir_len, target, base, (long)getpid());
    return t;
}

/* TARGET's directory ("." when it names none), or NULL when out of memory. */
static char *directory_of(const char *target)
{
    const char *slash = strrchr(target, '/');
    return slash ? strndup(target, (size_t)(slash - target) + (slash == target)) : strdup(".");
}

/* The PID in NAME when it is a temporary of ours, ".BASE.tmp-PID-XXXXXX"
 * (of BASE only, unless BASE is NULL); else 0. */
static long temporary_writer(const char *name, const char *base)
{
    /* the last ".tmp-": BASE may hold one, mkstemp's suffix cannot */
    const char *tag = NULL;
    for (const char *t = strstr(name, ".tmp-"); t; t = strstr(t + 1, ".tmp-"))
        tag = t;
    if (name[0] != '.' || !tag || tag == name + 1)
        return 0;
    if (base && (strlen(base) != (size_t)(tag - name - 1) || strncmp(name + 1, base, strlen(base))))
        return 0;
    const char *digits = tag + 5;
    char *end;
    long pid = strtol(digits, &end, 10);
    return end > digits && *end == '-' && strlen(end + 1) == 6 && pid > 0 ? pid : 0;
}

/* Whether the open file FD holds what a lock file of ours holds (see
 * lock_target): nothing, or a PID and a newline.  A file of that name with
 * anything else is someone else's, and is neither taken nor removed. */
static int holds_a_lock(int fd)
{
    char text[24];
    ssize_t n = pread(fd, text, sizeof text, 0);
    if (n == 0)
        return 1;
    if (n < 2 || n == (ssize_t)sizeof text || text[n - 1] != '\n')
        return 0;
    for (ssize_t i = 0; i < n - 1; i++)
        if (text[i] < '0' || text[i] > '9')
            return 0;
    return 1;
}

/* Removes PATH when it is a lock file (lock_target) that no writer holds:
 * a writer killed between its commit and its unlock leaves one. */
static void remove_stale_lock(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return;
    /* held: it is the lock of a live writer (lock_target retries when the
     * name it locked is removed under it, so removing it here is safe) */
    if (holds_a_lock(fd) && flock(fd, LOCK_EX | LOCK_NB) == 0)
        unlink(path);
    close(fd);
}

static int is_lock_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".lock") == 0;
}

/* Removes from DIR the temporaries of dead writers (of BASE only, unless
 * BASE is NULL) and, when BASE is NULL, the lock files nobody holds. */
static void remove_stale_in(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        long pid = temporary_writer(e->d_name, base);
        int dead = pid && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
        int lock = !base && is_lock_name(e->d_name);
        if (!dead && !lock)
            continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(n);
        if (path) {
            snprintf(path, n, "%s/%s", dir, e->d_name);
            if (dead)
                unlink(path);
            else
                remove_stale_lock(path);
        }
        free(path);
    }
    if (d)
        closedir(d);
}

void fmc_h5file_remove_stale_temporaries(const char *dir)
{
    remove_stale_in(dir, NULL);
}

/* Removes the temporary files that writers of TARGET killed outright
 * (SIGKILL, power loss) left behind; those of live processes stay. */
static void remove_stale_temporaries(const char *target)
{
    char *dir = directory_of(target);
    const char *slash = strrchr(target, '/');
    if (dir)
        remove_stale_in(dir, slash ? slash + 1 : target);
    free(dir);
}

/* Whether PATH is a results file funnelmc wrote (its root says so). */
static int is_results_file(const char *path)
{
    char format[sizeof FMC_FORMAT_NAME + 1] = "";
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    int yes = file >= 0 && H5Aexists(file, "format") > 0 &&
              fmc_h5_read_text(file, "format", format, sizeof format) >= 0 &&
              strcmp(format, FMC_FORMAT_NAME) == 0;
    if (file >= 0)
        H5Fclose(file);
    return yes;
}

fmc_status fmc_h5file_check_target(const char *target)
{
    fmc_h5_prepare();
    struct stat st;
    if (stat(target, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            errno = EISDIR;
            return FMC_EIO;
        }
        /* Replacing someone's spreadsheet or another program's HDF5 file
         * would lose work; only our own earlier results (or an empty file)
         * are overwritten. */
        if (!S_ISREG(st.st_mode) || (st.st_size > 0 && !is_results_file(target)))
            return FMC_EFOREIGN;
    }
    return FMC_OK;
}

/* Takes the writer's lock of TARGET: the file "TARGET.lock", locked with
 * flock.  The kernel drops a flock when its holder dies, however it dies,
 * so a lock file a killed writer left behind is simply locked anew: staleness
 * needs no guess from PIDs or ages.  The file holds the holder's PID, for
 * people.  Returns FMC_OK with F's LOCK and LOCK_FD set; FMC_ELOCKED when a
 * live writer holds it; FMC_EFOREIGN when a file of that name holds
 * anything but a PID (it is not ours); FMC_EIO (errno) or FMC_ENOMEM. */
static fmc_status lock_target(fmc_h5file *f)
{
    size_t n = strlen(f->target) + sizeof ".lock";
    if (!(f->lock = malloc(n)))
        return FMC_ENOMEM;
    snprintf(f->lock, n, "%s.lock", f->target);
    for (;;) {
        int fd = open(f->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            return FMC_EIO;
        if (!holds_a_lock(fd)) {  /* a user's own file of that name: left as it is */
            close(fd);
            return FMC_EFOREIGN;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int busy = errno == EWOULDBLOCK;
            int saved = errno;
            close(fd);
            errno = saved;
            return busy ? FMC_ELOCKED : FMC_EIO;
        }
        /* The holder before us removes the file before it lets go: when the
         * name no longer leads to the file we locked, we locked a removed
         * file, and try again on the name's new one. */
        struct stat held, named;
        if (fstat(fd, &held) == 0 && stat(f->lock, &named) == 0 && held.st_dev == named.st_dev &&
            held.st_ino == named.st_ino) {
            char pid[32];
            int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
            /* the PID is for people only: the lock holds without it */
            ssize_t written = ftruncate(fd, 0) == 0 ? write(fd, pid, (size_t)len) : -1;
            (void)written;
            f->lock_fd = fd;
            return FMC_OK;
        }
        close(fd);
    }
}

/* Removes the lock file, then lets go of the lock (in this order: see
 * lock_target).  Keeps errno. */
static void unlock_target(fmc_h5file *f)
{
    if (f->lock_fd < 0)
        return;
    int saved = errno;
    unlink(f->lock);
    close(f->lock_fd);
    f->lock_fd = -1;
    errno = saved;
}

static void release(fmc_h5file *f)
{
    unlock_target(f);
    free(f->lock);
    free(f->target);
    free(f->temp);
    free(f);
}

fmc_status fmc_h5file_create(const char *target, fmc_h5file **out)
{
    fmc_status status = fmc_h5file_check_target(target);
    if (status != FMC_OK)
        return status;
    remove_stale_temporaries(target);
    fmc_h5file *f = calloc(1, sizeof *f);
    if (!f)
        return FMC_ENOMEM;
    f->file = H5I_INVALID_HID;
    f->fd = -1;
    f->lock_fd = -1;
    f->target = strdup(target);
    f->temp = temp_template(target);
    status = f->target && f->temp ? lock_target(f) : FMC_ENOMEM;
    if (status == FMC_OK && (f->fd = mkstemp(f->temp)) < 0)
        status = FMC_EIO;
    if (status != FMC_OK) {
        int saved = errno;
        release(f);
        errno = saved;
        return status;
    }
    /* mkstemp makes the file private; give it the permissions a plain
     * creat() would have under the user's umask. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(f->fd, 0666 & ~mask);
    f->file = H5Fcreate(f->temp, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    if (f->file < 0) {
        fmc_h5file_abort(f);
        return FMC_EHDF5;
    }
    *out = f;
    return FMC_OK;
}

/* Syncs DIR's entries to the disk; 0, or -1 with errno. */
static int sync_directory(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    /* some file systems cannot sync a directory at all: nothing to wait for */
    int status = fsync(fd) == 0 || errno == EINVAL ? 0 : -1;
    int saved = errno;
    close(fd);
    errno = saved;
    return status;
}

fmc_status fmc_h5file_commit(fmc_h5file *f)
{
    fmc_status status = FMC_OK;
    herr_t closed = H5Fclose(f->file);
    f->file = H5I_INVALID_HID;
    /* The data must be on the disk before the name points at it: a rename
     * that reaches the disk first would leave an empty target after a power
     * cut, the earlier file lost. */
    if (closed < 0)
        status = FMC_EHDF5;
    else if (fsync(f->fd) != 0 || rename(f->temp, f->target) != 0)
        status = FMC_EIO;
    int saved = errno;
    close(f->fd);
    if (status != FMC_OK) {
        remove(f->temp);
    } else {
        char *dir = directory_of(f->target);
        if (!dir || sync_directory(dir) != 0) {
            saved = dir ? errno : ENOMEM;
            status = FMC_EIO;
        }
        free(dir);
    }
    release(f);
    errno = saved;
    return status;
}

void fmc_h5file_abort(fmc_h5file *f)
{
    if (!f)
        return;
    if (f->file >= 0)
        H5Fclose(f->file);
    close(f->fd);
    remove(f->temp);
    release(f);
}
