#include "emporium_vips.h"

#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

struct emporium_vips_image {
    VipsImage *image;
};

static GOnce start_once = G_ONCE_INIT;

// libvips' warnings ("error in tile …") repeat what the failed call reports through the error
// buffer, which reaches the caller's log with the job it belongs to: not written to stderr too.
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void) domain; (void) level; (void) message; (void) data;
}

static gpointer start(gpointer unused) {
    (void) unused;
    if (VIPS_INIT("emporium")) return GINT_TO_POINTER(-1);
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO, quiet, NULL);
    // Thumbnails of different uploads share nothing: caching operations only holds memory.
    vips_cache_set_max(0);
    // Only the loaders of the accepted formats can run, whatever a file claims to be.
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_operation_block_set("VipsForeignLoadWebp", FALSE);
    return GINT_TO_POINTER(0);
}

int emporium_vips_start(void) {
    return GPOINTER_TO_INT(g_once(&start_once, start, NULL));
}

int emporium_vips_header(const char *path, int *width, int *height, char *loader, size_t loader_size) {
    const char *name = vips_foreign_find_load(path);
    if (name == NULL) return -1;
    VipsImage *image = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (image == NULL) return -1;
    *width = vips_image_get_width(image);
    *height = vips_image_get_height(image);
    if (loader != NULL && loader_size > 0) {
        g_strlcpy(loader, name, loader_size);
    }
    g_object_unref(image);
    return 0;
}

static int keep(VipsImage *image, emporium_vips_image **out) {
    // Rendered into memory once: the smaller sizes and both formats read it, not the file.
    VipsImage *memory = vips_image_copy_memory(image);
    g_object_unref(image);
    if (memory == NULL) return -1;
    emporium_vips_image *wrapper = malloc(sizeof *wrapper);
    if (wrapper == NULL) {
        g_object_unref(memory);
        vips_error("emporium", "out of memory");
        return -1;
    }
    wrapper->image = memory;
    *out = wrapper;
    return 0;
}

int emporium_vips_thumbnail_file(const char *path, int size, emporium_vips_image **out) {
    VipsImage *image = NULL;
    if (vips_thumbnail(path, &image, size, "height", size, "size", VIPS_SIZE_DOWN, "fail_on", VIPS_FAIL_ON_ERROR, NULL)) return -1;
    return keep(image, out);
}

int emporium_vips_thumbnail_image(emporium_vips_image *source, int size, emporium_vips_image **out) {
    VipsImage *image = NULL;
    if (vips_thumbnail_image(source->image, &image, size, "height", size, "size", VIPS_SIZE_DOWN, NULL)) return -1;
    return keep(image, out);
}

int emporium_vips_width(const emporium_vips_image *image) { return vips_image_get_width(image->image); }
int emporium_vips_height(const emporium_vips_image *image) { return vips_image_get_height(image->image); }

int emporium_vips_save_jpeg(emporium_vips_image *image, const char *path, int quality) {
    return vips_jpegsave(image->image, path, "Q", quality, "strip", TRUE, "optimize_coding", TRUE, NULL);
}

int emporium_vips_save_webp(emporium_vips_image *image, const char *path, int quality) {
    return vips_webpsave(image->image, path, "Q", quality, "strip", TRUE, NULL);
}

void emporium_vips_release(emporium_vips_image *image) {
    if (image == NULL) return;
    g_object_unref(image->image);
    free(image);
}

char *emporium_vips_take_error(void) {
    const char *buffer = vips_error_buffer();
    if (buffer == NULL || buffer[0] == '\0') return NULL;
    char *copy = strdup(buffer);
    vips_error_clear();
    return copy;
}
