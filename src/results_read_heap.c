/* Checking a results file's global heap collections before HDF5 reads them.
 *
 * The global heap holds the variable-length data (our strings: the
 * scenario's text, names, dimension-scale coordinates).  HDF5 1.10.8
 * trusts the object sizes of a collection: only an assertion checks them
 * when it decodes one, so a flipped bit in a size makes H5HG_read copy
 * past its buffer and the program crashes instead of refusing the file.
 * So the reader walks every collection itself first, after the HDF5 File
 * Format Specification, section III.E "Disk Format: Level 1E - Global
 * Heap":
 *
 *   collection  "GCOL", version 1, 3 reserved bytes, then the collection's
 *               size (of the superblock's "size of lengths", L bytes),
 *               counting the whole collection, at least 4096 bytes; then
 *               its objects, with no unused space between them
 *   object      heap object index (2 bytes), reference count (2), reserved
 *               (4), object size (L), then the object's data, padded to a
 *               multiple of 8 bytes
 *   object 0    the free space, at the end: its size counts its own
 *               header; when less room than a header is left, the header
 *               is implied and not written
 *
 * HDF5 keeps no list of the collections (each is found from references
 * to it), so the file is scanned for the signature, a chunk at a time,
 * so that memory does not grow with the file.  The signature may also
 * occur in data ("GCOL" in a scenario's text), so a candidate counts as a
 * collection only with version 1 and a size from 4096 bytes to the end of
 * the file, and only an object that does not fit in such a collection
 * makes the file refused: data that merely looks like a header never
 * refuses a good file. */
#define _POSIX_C_SOURCE 200809L
#include "results_read_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    CHUNK = 256 * 1024,  /* bytes scanned at a time */
    SIGNATURE = 4,
    MIN_COLLECTION = 4096,
    MAX_LENGTHS = 8  /* the widest "size of lengths" this check decodes */
};

/* The file being scanned, and the chunk of it in memory. */
typedef struct scan {
    int fd;
    uint64_t file_size;
    unsigned lengths;  /* L: "size of lengths" */
    const unsigned char *chunk;
    uint64_t chunk_start;
    size_t chunk_size;
} scan;

/* Reports the error of the last read as the system words it, keeping
 * errno for the caller (results_read.h: FMC_EIO keeps errno).  Returns 0. */
static int fail_io(fmc_reader *r)
{
    int error = errno;
    fmc_read_fail(r, FMC_EIO, NULL, "%s", strerror(error));
    errno = error;
    return 0;
}

static uint64_t little_endian(const unsigned char *bytes, unsigned n)
{
    uint64_t value = 0;
    for (unsigned k = n; k-- > 0;)
        value = value << 8 | bytes[k];
    return value;
}

/* Reads up to N bytes at AT into OUT, fewer only at the end of the file:
 * the count, or -1 (errno set). */
static ssize_t read_at(int fd, uint64_t at, unsigned char *out, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t got = pread(fd, out + done, n - done, (off_t)(at + done));
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        done += (size_t)got;
    }
    return (ssize_t)done;
}

/* The N bytes at AT (inside the file): from the chunk when it holds them
 * (nearly always), else read into OUT.  NULL on a read error. */
static const unsigned char *bytes_at(const scan *s, uint64_t at, size_t n, unsigned char *out)
{
    if (at >= s->chunk_start && s->chunk_size >= n && at - s->chunk_start <= s->chunk_size - n)
        return s->chunk + (at - s->chunk_start);
    ssize_t got = read_at(s->fd, at, out, n);
    if (got >= 0 && (size_t)got < n)
        errno = EIO;  /* the file shrank while it was read */
    return got == (ssize_t)n ? out : NULL;
}

/* The superblock's "size of lengths" from the file's first bytes, or 0
 * when the check does not apply: a superblock not at byte 0 (a user block)
 * or of an unknown version, or lengths wider than this check decodes. */
static unsigned size_of_lengths(const unsigned char *head, size_t n)
{
    static const unsigned char hdf5[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (n < 16 || memcmp(head, hdf5, sizeof hdf5) != 0)
        return 0;
    /* versions 0 and 1 put three version bytes and a reserved one before
     * the sizes of offsets and lengths; versions 2 and 3 none */
    unsigned lengths = head[8] <= 1 ? head[14] : head[8] <= 3 ? head[10] : 0;
    return lengths >= 2 && lengths <= MAX_LENGTHS ? lengths : 0;
}

/* Checks the candidate collection at AT (its signature matched): 1 when
 * it is no collection or a consistent one, else 0 with the problem
 * reported. */
static int check_collection(fmc_reader *r, const scan *s, uint64_t at)
{
    unsigned char copy[8 + MAX_LENGTHS];
    const size_t header = 8 + s->lengths;  /* a collection's, an object's alike */
    if (s->file_size - at < header)
        return 1;
    const unsigned char *head = bytes_at(s, at, header, copy);
    if (!head)
        return fail_io(r);
    uint64_t size = little_endian(head + 8, s->lengths);
    if (head[4] != 1 || size < MIN_COLLECTION || size > s->file_size - at)
        return 1;
    uint64_t end = at + size;
    for (uint64_t object = at + header; end - object >= header;) {
        head = bytes_at(s, object, header, copy);
        if (!head)
            return fail_io(r);
        unsigned index = head[0] | (unsigned)head[1] << 8;
        uint64_t data = little_endian(head + 8, s->lengths), room = end - object, step;
        /* the free space's size counts its header, other objects' do not */
        if (index == 0 && data < header)
            return fmc_read_fail(r, FMC_EHDF5, NULL,
                                 "damaged: a global heap collection at byte %" PRIu64
                                 " has a free space of %" PRIu64 " bytes, less than its header",
                                 at, data);
        if (index == 0)
            step = data;
        else if (data <= room - header)  /* else padding it could wrap past 2^64 */
            step = header + data + (-data & 7);
        else
            step = UINT64_MAX;
        if (step > room)
            return fmc_read_fail(r, FMC_EHDF5, NULL,
                                 "damaged: a global heap collection at byte %" PRIu64
                                 " has object %u of %" PRIu64 " bytes, past the collection's "
                                 "end at byte %" PRIu64, at, index, data, end);
        object += step;
    }
    return 1;
}

int fmc_read_check_heaps(fmc_reader *r, const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat status;
    int ok = fd >= 0 && fstat(fd, &status) == 0 ? 1 : fail_io(r);
    unsigned char *chunk = ok ? fmc_read_calloc(r, CHUNK, 1) : NULL;
    scan s = {fd, ok ? (uint64_t)status.st_size : 0, 0, chunk, 0, 0};
    /* a signature cut by a chunk's end is found in the next chunk, which
     * starts with the last SIGNATURE - 1 bytes of this one */
    size_t kept = 0;
    ok = chunk != NULL;
    while (ok) {
        ssize_t got = read_at(fd, s.chunk_start + kept, chunk + kept, CHUNK - kept);
        if (got < 0) {
            ok = fail_io(r);
            break;
        }
        s.chunk_size = kept + (size_t)got;
        if (s.chunk_start == 0 && !(s.lengths = size_of_lengths(chunk, s.chunk_size)))
            break;
        for (const unsigned char *g = chunk;
             ok && (g = memchr(g, 'G', s.chunk_size - (size_t)(g - chunk)));) {
            if (s.chunk_size - (size_t)(g - chunk) < SIGNATURE)
                break;
            if (memcmp(g, "GCOL", SIGNATURE) == 0)
                ok = check_collection(r, &s, s.chunk_start + (uint64_t)(g - chunk));
            g++;
        }
        if (s.chunk_size < CHUNK)
            break;  /* the end of the file */
        kept = SIGNATURE - 1;
        memmove(chunk, chunk + CHUNK - kept, kept);
        s.chunk_start += CHUNK - kept;
    }
    int error = errno;  /* what a failed read left, for FMC_EIO */
    free(chunk);
    if (fd >= 0)
        close(fd);
    errno = error;
    return ok;
}
