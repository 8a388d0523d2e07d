/* Checked reads of single HDF5 objects for the readers of results files.
 * A results file is untrusted input: before any read, the object's type
 * class and size and its extent are compared with what the caller expects,
 * and a mismatch is reported in words ("expected float64 [3], found int32
 * [3]") with the object's path from the file's root.  The checked reads
 * take that path from HDF5 itself (H5Iget_name of the open location), so
 * the groups opened on the way need no bookkeeping; an attribute is named
 * "group@attribute" ("/@format_version", "/sweeps/reach@samples"). */
#include "results_read_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More than this is a damaged count, not a results file: the largest
 * arrays read back (a sweep's grids) are far smaller, and a bit flip must
 * not make the reader ask for 2^60 bytes. */
#define FMC_READ_MAX_BYTES ((size_t)1 << 30)

/* The most dimensions a dataset read back has: a sweep of 4 axes. */
#define MAX_RANK 4

/* PATH (a group's, "" or "/" for the root) joined with NAME (NULL: the
 * group itself; "@x": its attribute x; else a path below it). */
static void join(char *object, size_t size, const char *path, const char *name)
{
    const char *slash = path[0] && path[strlen(path) - 1] == '/' ? "" : "/";
    if (!name)
        snprintf(object, size, "%s", path[0] ? path : "/");
    else if (name[0] == '@')
        snprintf(object, size, "%s%s", path[0] ? path : "/", name);
    else
        snprintf(object, size, "%s%s%s", path, slash, name);
}

static int report(fmc_reader *r, fmc_status status, const char *path, const char *name,
                  const char *format, va_list args)
{
    if (r->failed)
        return 0;
    r->failed = 1;
    r->status = status;
    join(r->problem->object, sizeof r->problem->object, path, name);
    vsnprintf(r->problem->message, sizeof r->problem->message, format, args);
    return 0;
}

int fmc_read_fail(fmc_reader *r, fmc_status status, const char *name, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    report(r, status, r->prefix, name, format, args);
    va_end(args);
    return 0;
}

/* Reports a problem of object NAME of the open location LOC. */
__attribute__((format(printf, 4, 5))) static int fail_at(fmc_reader *r, hid_t loc,
                                                         const char *name, const char *format,
                                                         ...)
{
    char path[256];
    ssize_t n = H5Iget_name(loc, path, sizeof path);
    if (n <= 0 || (size_t)n >= sizeof path)
        snprintf(path, sizeof path, "%s", r->prefix);
    va_list args;
    va_start(args, format);
    report(r, FMC_EHDF5, path, name, format, args);
    va_end(args);
    return 0;
}

int fmc_read_has(hid_t loc, const char *name)
{
    return H5Lexists(loc, name, H5P_DEFAULT) > 0;
}

int fmc_read_has_attr(hid_t loc, const char *name)
{
    return H5Aexists(loc, name) > 0;
}

void *fmc_read_calloc(fmc_reader *r, size_t n, size_t size)
{
    if (size && n > FMC_READ_MAX_BYTES / size) {
        fmc_read_fail(r, FMC_ENOMEM, NULL, "%zu elements of %zu bytes: more than a results "
                      "file holds", n, size);
        return NULL;
    }
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        fmc_read_fail(r, FMC_ENOMEM, NULL, "out of memory for %zu elements", n);
    return p;
}

hid_t fmc_read_group(fmc_reader *r, hid_t loc, const char *name)
{
    if (!fmc_read_has(loc, name)) {
        fail_at(r, loc, name, "missing");
        return H5I_INVALID_HID;
    }
    hid_t group = H5Gopen2(loc, name, H5P_DEFAULT);
    if (group < 0)
        fail_at(r, loc, name, "not a group, or unreadable (truncated or damaged file)");
    return group;
}

/* ----- what an object is, in words ----- */

/* What the caller expects of a value's type. */
typedef enum { WANT_DOUBLE, WANT_U64, WANT_INT, WANT_TEXT, WANT_ANY } want_type;

static const char *want_name(want_type want)
{
    static const char *const names[] = {"float64", "uint64", "int32", "string", "any"};
    return names[want];
}

static int type_fits(hid_t type, want_type want)
{
    H5T_class_t class = H5Tget_class(type);
    size_t size = H5Tget_size(type);
    switch (want) {
    case WANT_DOUBLE:
        return class == H5T_FLOAT && size == 8;
    case WANT_U64:
        return class == H5T_INTEGER && size <= 8 && H5Tget_sign(type) == H5T_SGN_NONE;
    case WANT_INT:
        return class == H5T_INTEGER && size <= 4;
    case WANT_TEXT:
        return class == H5T_STRING;
    case WANT_ANY:
        return class >= 0;
    }
    return 0;
}

static void describe_type(hid_t type, char *text, size_t size)
{
    H5T_class_t class = H5Tget_class(type);
    size_t bytes = H5Tget_size(type);
    if (class == H5T_FLOAT)
        snprintf(text, size, "float%zu", 8 * bytes);
    else if (class == H5T_INTEGER)
        snprintf(text, size, "%sint%zu", H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", 8 * bytes);
    else if (class == H5T_STRING)
        snprintf(text, size, "string");
    else if (class == H5T_COMPOUND)
        snprintf(text, size, "compound");
    else
        snprintf(text, size, "type class %d", (int)class);
}

/* "[3][2]", "scalar", "empty". */
static void describe_shape(int rank, const size_t *dims, char *text, size_t size)
{
    if (rank < 0) {
        snprintf(text, size, "empty");
        return;
    }
    if (rank == 0) {
        snprintf(text, size, "scalar");
        return;
    }
    size_t used = 0;
    text[0] = '\0';
    for (int k = 0; k < rank && used < size; k++)
        used += (size_t)snprintf(text + used, size - used, "[%zu]", dims[k]);
}

/* The rank (-1 for a null dataspace) and dimensions of SPACE, or 0 when
 * it is unreadable or of more than MAX_RANK dimensions (never read). */
static int space_shape(hid_t space, int *rank, size_t *dims)
{
    H5S_class_t class = H5Sget_simple_extent_type(space);
    if (class == H5S_NULL) {
        *rank = -1;
        return 1;
    }
    int n = H5Sget_simple_extent_ndims(space);
    if (class < 0 || n < 0 || n > MAX_RANK)
        return 0;
    hsize_t h[MAX_RANK];
    if (n > 0 && H5Sget_simple_extent_dims(space, h, NULL) < 0)
        return 0;
    for (int k = 0; k < n; k++)
        dims[k] = (size_t)h[k];
    *rank = n;
    return 1;
}

/* An open attribute or dataset: its handle, type and space. */
typedef struct object {
    hid_t handle, type, space;
    int is_attribute;
} object;

static void object_close(object *o)
{
    if (o->space >= 0)
        H5Sclose(o->space);
    if (o->type >= 0)
        H5Tclose(o->type);
    if (o->handle >= 0)
        (o->is_attribute ? H5Aclose : H5Dclose)(o->handle);
}

/* Opens attribute or dataset NAME of LOC and checks it: of a type WANT,
 * of RANK dimensions DIMS (RANK 0: a scalar, or a 1-D extent of one
 * element; DIMS NULL: any extent of RANK dimensions, its dimensions into
 * FOUND).  On failure, reports and closes everything. */
static int object_open(fmc_reader *r, hid_t loc, const char *name, int is_attribute,
                       want_type want, int rank, const size_t *dims, size_t *found, object *o)
{
    char label[160];
    snprintf(label, sizeof label, "%s%s", is_attribute ? "@" : "", name);
    *o = (object){H5I_INVALID_HID, H5I_INVALID_HID, H5I_INVALID_HID, is_attribute};
    int exists = is_attribute ? fmc_read_has_attr(loc, name) : fmc_read_has(loc, name);
    if (!exists)
        return fail_at(r, loc, label, "missing");
    if (is_attribute) {
        o->handle = H5Aopen(loc, name, H5P_DEFAULT);
        if (o->handle >= 0) {
            o->type = H5Aget_type(o->handle);
            o->space = H5Aget_space(o->handle);
        }
    } else {
        /* H5Dopen2 of a group would fail in words no one can act on. */
        hid_t any = H5Oopen(loc, name, H5P_DEFAULT);
        H5I_type_t type = any >= 0 ? H5Iget_type(any) : H5I_BADID;
        if (any >= 0 && type != H5I_DATASET) {
            H5Oclose(any);
            return fail_at(r, loc, label, "expected a dataset, found a %s",
                           type == H5I_GROUP ? "group" : "named type");
        }
        o->handle = any;
        if (o->handle >= 0) {
            o->type = H5Dget_type(o->handle);
            o->space = H5Dget_space(o->handle);
        }
    }
    int shape_rank = 0;
    size_t shape[MAX_RANK] = {0};
    if (o->handle < 0 || o->type < 0 || o->space < 0 ||
        !space_shape(o->space, &shape_rank, shape)) {
        object_close(o);
        return fail_at(r, loc, label, "unreadable (truncated or damaged file)");
    }
    int fits = type_fits(o->type, want);
    if (rank == 0)
        fits = fits && (shape_rank == 0 || (shape_rank == 1 && shape[0] == 1));
    else {
        fits = fits && shape_rank == rank;
        for (int k = 0; dims && fits && k < rank; k++)
            fits = shape[k] == dims[k];
    }
    if (!fits) {
        char expected[64], actual[64], type[32];
        if (rank == 0)
            snprintf(expected, sizeof expected, "scalar");
        else if (dims)
            describe_shape(rank, dims, expected, sizeof expected);
        else
            snprintf(expected, sizeof expected, "%d dimension%s", rank, rank > 1 ? "s" : "");
        describe_shape(shape_rank, shape, actual, sizeof actual);
        describe_type(o->type, type, sizeof type);
        object_close(o);
        if (want == WANT_ANY)
            return fail_at(r, loc, label, "expected %s, found %s %s", expected, type, actual);
        return fail_at(r, loc, label, "expected %s %s, found %s %s", want_name(want), expected,
                       type, actual);
    }
    for (int k = 0; found && k < shape_rank; k++)
        found[k] = shape[k];
    return 1;
}

/* Reads the checked object O into BUFFER as MEMORY_TYPE. */
static int object_read(fmc_reader *r, hid_t loc, const char *name, object *o, hid_t memory_type,
                       void *buffer)
{
    herr_t status = o->is_attribute
                        ? H5Aread(o->handle, memory_type, buffer)
                        : H5Dread(o->handle, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    object_close(o);
    if (status < 0) {
        char label[160];
        snprintf(label, sizeof label, "%s%s", o->is_attribute ? "@" : "", name);
        return fail_at(r, loc, label, "unreadable (truncated or damaged file)");
    }
    return 1;
}

/* ----- attributes ----- */

static int read_attr_scalar(fmc_reader *r, hid_t loc, const char *name, want_type want,
                            hid_t memory_type, void *out)
{
    object o;
    return object_open(r, loc, name, 1, want, 0, NULL, NULL, &o) &&
           object_read(r, loc, name, &o, memory_type, out);
}

int fmc_read_attr_double(fmc_reader *r, hid_t loc, const char *name, double *out)
{
    return read_attr_scalar(r, loc, name, WANT_DOUBLE, H5T_NATIVE_DOUBLE, out);
}

int fmc_read_attr_u64(fmc_reader *r, hid_t loc, const char *name, uint64_t *out)
{
    return read_attr_scalar(r, loc, name, WANT_U64, H5T_NATIVE_UINT64, out);
}

int fmc_read_attr_int(fmc_reader *r, hid_t loc, const char *name, int *out)
{
    return read_attr_scalar(r, loc, name, WANT_INT, H5T_NATIVE_INT, out);
}

int fmc_read_attr_doubles(fmc_reader *r, hid_t loc, const char *name, size_t n, double *out)
{
    object o;
    return object_open(r, loc, name, 1, WANT_DOUBLE, 1, &n, NULL, &o) &&
           object_read(r, loc, name, &o, H5T_NATIVE_DOUBLE, out);
}

/* ----- strings ----- */

/* The memory type that reads the N strings of O: variable-length as they
 * are written (results_common.c), or fixed-length of the file's size. */
static hid_t string_memory_type(const object *o)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    htri_t variable = H5Tis_variable_str(o->type);
    size_t size = H5Tget_size(o->type);
    if (variable < 0 || H5Tset_size(t, variable ? H5T_VARIABLE : size) < 0 ||
        H5Tset_cset(t, H5Tget_cset(o->type)) < 0 ||
        (!variable && H5Tset_strpad(t, H5T_STR_NULLPAD) < 0)) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

/* Reads the N strings of the checked object O and hands each to KEEP
 * (with CONTEXT and its index); closes O. */
static int read_strings(fmc_reader *r, hid_t loc, const char *name, object *o, size_t n,
                        int (*keep)(fmc_reader *, hid_t, const char *, size_t, const char *,
                                    void *),
                        void *context)
{
    char label[160];
    snprintf(label, sizeof label, "%s%s", o->is_attribute ? "@" : "", name);
    hid_t memory = string_memory_type(o);
    htri_t variable = H5Tis_variable_str(o->type);
    size_t width = variable > 0 ? sizeof(char *) : H5Tget_size(o->type);
    char *buffer = memory >= 0 && variable >= 0 ? fmc_read_calloc(r, n, width) : NULL;
    int ok = 0;
    if (!buffer) {
        if (memory >= 0)
            H5Tclose(memory);
        object_close(o);
        return r->failed ? 0 : fail_at(r, loc, label, "unreadable (truncated or damaged file)");
    }
    herr_t status = n == 0 ? 0
                    : o->is_attribute
                        ? H5Aread(o->handle, memory, buffer)
                        : H5Dread(o->handle, memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    if (status < 0)
        fail_at(r, loc, label, "unreadable (truncated or damaged file)");
    else {
        ok = 1;
        for (size_t i = 0; ok && i < n; i++) {
            if (variable) {
                const char *text = ((char **)buffer)[i];
                ok = keep(r, loc, label, i, text ? text : "", context);
            } else {
                /* A fixed-length string fills its width without a final NUL. */
                char *text = malloc(width + 1);
                if (!text)
                    ok = fmc_read_fail(r, FMC_ENOMEM, NULL, "out of memory for a string");
                else {
                    memcpy(text, buffer + i * width, width);
                    text[width] = '\0';
                    ok = keep(r, loc, label, i, text, context);
                    free(text);
                }
            }
        }
    }
    /* after a failed read too: the strings read before it are HDF5's to free */
    if (variable)
        H5Dvlen_reclaim(memory, o->space, H5P_DEFAULT, buffer);
    free(buffer);
    H5Tclose(memory);
    object_close(o);
    return ok;
}

/* Where the strings go: N slots of SIZE bytes, or one malloc'd copy. */
typedef struct string_slots {
    char *out;
    size_t size;
    char **copy;
} string_slots;

static int keep_in_slot(fmc_reader *r, hid_t loc, const char *label, size_t i, const char *text,
                        void *context)
{
    const string_slots *slots = context;
    size_t length = strlen(text);
    if (length >= slots->size)
        return fail_at(r, loc, label, "string %zu of %zu bytes: longer than %zu", i, length,
                       slots->size - 1);
    memcpy(slots->out + i * slots->size, text, length + 1);
    return 1;
}

static int keep_copy(fmc_reader *r, hid_t loc, const char *label, size_t i, const char *text,
                     void *context)
{
    (void)loc, (void)label, (void)i;
    string_slots *slots = context;
    char *copy = fmc_read_calloc(r, strlen(text) + 1, 1);
    if (!copy)
        return 0;
    memcpy(copy, text, strlen(text) + 1);
    *slots->copy = copy;
    return 1;
}

int fmc_read_attr_text(fmc_reader *r, hid_t loc, const char *name, char *buffer, size_t size)
{
    object o;
    string_slots slots = {buffer, size, NULL};
    return object_open(r, loc, name, 1, WANT_TEXT, 0, NULL, NULL, &o) &&
           read_strings(r, loc, name, &o, 1, keep_in_slot, &slots);
}

int fmc_read_attr_text_alloc(fmc_reader *r, hid_t loc, const char *name, char **out)
{
    object o;
    *out = NULL;
    string_slots slots = {NULL, 0, out};
    return object_open(r, loc, name, 1, WANT_TEXT, 0, NULL, NULL, &o) &&
           read_strings(r, loc, name, &o, 1, keep_copy, &slots);
}

int fmc_read_strings(fmc_reader *r, hid_t loc, const char *name, size_t n, char *out,
                     size_t size)
{
    object o;
    string_slots slots = {out, size, NULL};
    return object_open(r, loc, name, 0, WANT_TEXT, 1, &n, NULL, &o) &&
           read_strings(r, loc, name, &o, n, keep_in_slot, &slots);
}

/* ----- datasets ----- */

static int read_array(fmc_reader *r, hid_t loc, const char *name, want_type want,
                      hid_t memory_type, int rank, const size_t *dims, void *out)
{
    object o;
    if (rank < 1 || rank > MAX_RANK)
        return fail_at(r, loc, name, "a dataset of rank %d is never read", rank);
    size_t count = 1;
    for (int k = 0; k < rank; k++)
        count *= dims[k];
    if (!object_open(r, loc, name, 0, want, rank, dims, NULL, &o))
        return 0;
    if (count == 0) {
        object_close(&o);
        return 1;
    }
    return object_read(r, loc, name, &o, memory_type, out);
}

int fmc_read_doubles(fmc_reader *r, hid_t loc, const char *name, int rank, const size_t *dims,
                     double *out)
{
    return read_array(r, loc, name, WANT_DOUBLE, H5T_NATIVE_DOUBLE, rank, dims, out);
}

int fmc_read_u64s(fmc_reader *r, hid_t loc, const char *name, int rank, const size_t *dims,
                  uint64_t *out)
{
    return read_array(r, loc, name, WANT_U64, H5T_NATIVE_UINT64, rank, dims, out);
}

int fmc_read_ints(fmc_reader *r, hid_t loc, const char *name, int rank, const size_t *dims,
                  int *out)
{
    return read_array(r, loc, name, WANT_INT, H5T_NATIVE_INT, rank, dims, out);
}

int fmc_read_length(fmc_reader *r, hid_t loc, const char *name, size_t *n)
{
    object o;
    size_t found[MAX_RANK] = {0};
    if (!object_open(r, loc, name, 0, WANT_ANY, 1, NULL, found, &o))
        return 0;
    object_close(&o);
    *n = found[0];
    return 1;
}
