// Plain C calls over libvips, for Swift: libvips' own API is variadic (name/value option lists),
// which Swift cannot call. Every function returns 0 on success and -1 on failure, with the reason
// in a message that `emporium_vips_take_error` hands over (and clears).
#ifndef EMPORIUM_VIPS_H
#define EMPORIUM_VIPS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Starts libvips once per process: the operation cache off (every image is new), and every
/// loader blocked except JPEG, PNG and WebP, the formats uploads are allowed to be.
int emporium_vips_start(void);

/// Reads only the header of the image at `path`: its size in pixels and its loader's name
/// (for example "jpegload"), written into `loader` (at most `loader_size` bytes with the NUL).
int emporium_vips_header(const char *path, int *width, int *height, char *loader, size_t loader_size);

/// An opaque image held in memory.
typedef struct emporium_vips_image emporium_vips_image;

/// The image at `path` reduced to fit a `size` × `size` box (never enlarged), decoded with the
/// loader's shrink-on-load (a JPEG is never decoded whole), failing on truncation or corruption.
/// The result is kept in memory so that smaller sizes are made from it.
int emporium_vips_thumbnail_file(const char *path, int size, emporium_vips_image **out);

/// `image` reduced to fit a `size` × `size` box (never enlarged).
int emporium_vips_thumbnail_image(emporium_vips_image *image, int size, emporium_vips_image **out);

int emporium_vips_width(const emporium_vips_image *image);
int emporium_vips_height(const emporium_vips_image *image);

/// Saves `image` as a baseline JPEG (sRGB, metadata stripped) or a lossy WebP.
int emporium_vips_save_jpeg(emporium_vips_image *image, const char *path, int quality);
int emporium_vips_save_webp(emporium_vips_image *image, const char *path, int quality);

void emporium_vips_release(emporium_vips_image *image);

/// The messages of the failures since the last call (a malloc'd string the caller frees), or NULL.
/// libvips keeps one buffer for the whole process: callers make their calls one at a time.
char *emporium_vips_take_error(void);

#ifdef __cplusplus
}
#endif

#endif
