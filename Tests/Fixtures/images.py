"""Makes test images and reads images back, with Pillow (a decoder that is not libvips).

  images.py make KIND PATH [WIDTH HEIGHT]   KIND: jpeg png webp truncated-jpeg bomb-png text
  images.py read PATH                       prints {"format": ..., "width": ..., "height": ...}
"""
import json
import struct
import sys
import zlib


def photo(width, height):
    """A picture with detail everywhere (gradients and noise), as a camera's would be."""
    from PIL import Image
    image = Image.linear_gradient("L").resize((width, height))
    red = image
    green = image.rotate(90).resize((width, height))
    blue = Image.effect_noise((width, height), 64)
    return Image.merge("RGB", (red, green, blue))


def bomb_png(path, width, height):
    """A PNG of width x height 1-bit pixels, all zero: a few hundred kilobytes claiming a size
    that would take gigabytes decoded."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = []
    for _ in range(height):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)))
        out.write(chunk(b"IDAT", b"".join(parts)))
        out.write(chunk(b"IEND", b""))


def main():
    command = sys.argv[1]
    if command == "read":
        from PIL import Image
        with Image.open(sys.argv[2]) as image:
            image.load()
            print(json.dumps({"format": image.format, "width": image.width, "height": image.height}))
        return
    kind, path = sys.argv[2], sys.argv[3]
    width = int(sys.argv[4]) if len(sys.argv) > 4 else 800
    height = int(sys.argv[5]) if len(sys.argv) > 5 else 600
    if kind == "jpeg":
        photo(width, height).save(path, "JPEG", quality=90)
    elif kind == "png":
        photo(width, height).save(path, "PNG")
    elif kind == "webp":
        photo(width, height).save(path, "WEBP", quality=80)
    elif kind == "truncated-jpeg":
        photo(width, height).save(path, "JPEG", quality=90)
        with open(path, "rb") as handle:
            data = handle.read()
        with open(path, "wb") as handle:
            handle.write(data[: len(data) // 3])
    elif kind == "bomb-png":
        bomb_png(path, width, height)
    elif kind == "text":
        with open(path, "w") as handle:
            handle.write("this is not a picture, whatever its name says\n" * 100)
    else:
        sys.exit(f"unknown kind {kind}")


main()
