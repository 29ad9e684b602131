/*
 * GLib side of benchmarks/gvariant/run.mjs: times GLib's own GVariant parse and serialise of the
 * same bytes the TypeScript codec handles. Compiled on the fly by run.mjs (never committed as a
 * binary):  cc -O2 glib-bench.c $(pkg-config --cflags --libs glib-2.0)
 *
 * usage: glib-bench TYPE FILE MIN_SECONDS
 * prints one JSON object: MB/s for
 *   validate  g_variant_new_from_bytes + g_variant_is_normal_form (what ostree does on load)
 *   parse     validate + a deep walk reading every leaf (strings, byte arrays, numbers)
 *   serialise rebuild the value with GVariantBuilder / g_variant_new_* and g_variant_get_data
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile gsize sink;

static void walk (GVariant *v)
{
  const GVariantType *t = g_variant_get_type (v);
  if (g_variant_type_is_subtype_of (t, G_VARIANT_TYPE_BYTESTRING))
    {
      gsize n;
      const guint8 *p = g_variant_get_fixed_array (v, &n, 1);
      sink += n + (p != NULL);
      return;
    }
  if (g_variant_is_container (v))
    {
      GVariantIter it;
      GVariant *child;
      g_variant_iter_init (&it, v);
      while ((child = g_variant_iter_next_value (&it)) != NULL)
        {
          walk (child);
          g_variant_unref (child);
        }
      return;
    }
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      sink += strlen (g_variant_get_string (v, NULL));
      break;
    case G_VARIANT_CLASS_UINT64:
      sink += g_variant_get_uint64 (v);
      break;
    case G_VARIANT_CLASS_UINT32:
      sink += g_variant_get_uint32 (v);
      break;
    default:
      sink += g_variant_get_size (v);
    }
}

static GVariant *rebuild (GVariant *v)
{
  const GVariantType *t = g_variant_get_type (v);
  if (g_variant_type_is_subtype_of (t, G_VARIANT_TYPE_BYTESTRING))
    {
      gsize n;
      const guint8 *p = g_variant_get_fixed_array (v, &n, 1);
      return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, p, n, 1);
    }
  if (g_variant_is_of_type (v, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (v);
      GVariant *out = g_variant_new_variant (rebuild (inner));
      g_variant_unref (inner);
      return out;
    }
  if (g_variant_is_container (v))
    {
      GVariantBuilder b;
      GVariantIter it;
      GVariant *child;
      g_variant_builder_init (&b, t);
      g_variant_iter_init (&it, v);
      while ((child = g_variant_iter_next_value (&it)) != NULL)
        {
          g_variant_builder_add_value (&b, rebuild (child));
          g_variant_unref (child);
        }
      return g_variant_builder_end (&b);
    }
  switch (g_variant_classify (v))
    {
    case G_VARIANT_CLASS_STRING:
      return g_variant_new_string (g_variant_get_string (v, NULL));
    case G_VARIANT_CLASS_UINT64:
      return g_variant_new_uint64 (g_variant_get_uint64 (v));
    case G_VARIANT_CLASS_UINT32:
      return g_variant_new_uint32 (g_variant_get_uint32 (v));
    default:
      /* other basic types do not occur in the benchmark shapes */
      return g_variant_ref_sink (g_variant_get_normal_form (v));
    }
}

typedef enum { VALIDATE, PARSE, SERIALISE } Op;

static double run (Op op, const GVariantType *type, GBytes *bytes, GVariant *source, double min_seconds)
{
  gsize size = g_bytes_get_size (bytes);
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  guint64 iterations = 0;
  do
    {
      switch (op)
        {
        case VALIDATE:
        case PARSE:
          {
            GVariant *v = g_variant_ref_sink (g_variant_new_from_bytes (type, bytes, FALSE));
            if (!g_variant_is_normal_form (v))
              g_error ("input not in normal form");
            if (op == PARSE)
              walk (v);
            g_variant_unref (v);
            break;
          }
        case SERIALISE:
          {
            GVariant *v = g_variant_ref_sink (rebuild (source));
            if (g_variant_get_size (v) != size)
              g_error ("rebuilt size differs");
            sink += ((const guint8 *) g_variant_get_data (v))[0];
            g_variant_unref (v);
            break;
          }
        }
      iterations++;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < min_seconds * 1e6 || iterations < 3);
  return (double) size * iterations / (elapsed / 1e6) / 1e6;
}

int main (int argc, char **argv)
{
  gchar *data;
  gsize len;
  GError *error = NULL;
  if (argc != 4 || !g_variant_type_string_is_valid (argv[1]))
    {
      fprintf (stderr, "usage: %s TYPE FILE MIN_SECONDS\n", argv[0]);
      return 2;
    }
  if (!g_file_get_contents (argv[2], &data, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  double min_seconds = atof (argv[3]);
  const GVariantType *type = G_VARIANT_TYPE (argv[1]);
  GBytes *bytes = g_bytes_new_take (data, len);
  GVariant *source = g_variant_ref_sink (g_variant_new_from_bytes (type, bytes, FALSE));
  printf ("{\"glib\":\"%u.%u.%u\",\"validate\":%.1f,\"parse\":%.1f,\"serialise\":%.1f}\n",
          glib_major_version, glib_minor_version, glib_micro_version,
          run (VALIDATE, type, bytes, source, min_seconds),
          run (PARSE, type, bytes, source, min_seconds),
          run (SERIALISE, type, bytes, source, min_seconds));
  g_variant_unref (source);
  g_bytes_unref (bytes);
  return 0;
}
