/* satori-rest-token.c — the REST API's bearer token lives in a file only
 * the user may read (satori_private_file_read(): looser permissions are
 * refused, as for key files); the daemon creates it on first run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "satori-rest-token.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <string.h>

#include "satori-crypto.h"
#include "satori-private-file.h"

#define TOKEN_BYTES 32
/* A token shorter than this is refused: it could be guessed. */
#define MIN_TOKEN_LENGTH 16

static char *
generate_token (void)
{
  guint8 random[TOKEN_BYTES];
  GString *token = g_string_sized_new (2 * TOKEN_BYTES);

  satori_crypto_random_bytes (random, sizeof random);
  for (guint i = 0; i < TOKEN_BYTES; i++)
    g_string_append_printf (token, "%02x", random[i]);
  explicit_bzero (random, sizeof random);
  return g_string_free (token, FALSE);
}

/**
 * satori_rest_token_load_or_create:
 * @path: the token file
 * @error: %G_IO_ERROR_PERMISSION_DENIED when others may read @path,
 *   %G_IO_ERROR_INVALID_DATA when it holds too short a token, or another
 *   %G_IO_ERROR
 *
 * Reads the token in @path (its first line, without surrounding white
 * space), or, when there is no file there, makes a random one and writes
 * it with mode 0600.
 *
 * Returns: (transfer full) (nullable): the token
 */
char *
satori_rest_token_load_or_create (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *token = generate_token ();
      g_autofree char *line = g_strconcat (token, "\n", NULL);
      if (!satori_private_file_write (path, (const guint8 *) line, strlen (line), error))
        return NULL;
      g_message (_("Created the REST API token in %s"), path);
      return g_steal_pointer (&token);
    }
  if (!satori_private_file_read (path, &contents, &length, error))
    return NULL;
  char *newline = strchr (contents, '\n');
  if (newline != NULL)
    *newline = '\0';
  g_strstrip (contents);
  if (strlen (contents) < MIN_TOKEN_LENGTH || !g_utf8_validate (contents, -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s: the token must be at least %d characters"), path, MIN_TOKEN_LENGTH);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/**
 * satori_rest_token_check:
 * @token: the daemon's token
 * @authorization: (nullable): a request's `Authorization` header
 *
 * Compares in constant time, so the answer's timing tells nothing of the
 * token.
 *
 * Returns: whether @authorization is `Bearer` and @token
 */
gboolean
satori_rest_token_check (const char *token, const char *authorization)
{
  static const char scheme[] = "Bearer ";
  gsize token_length = strlen (token);
  guint8 difference = 0;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, scheme, strlen (scheme)) != 0)
    return FALSE;
  const char *given = authorization + strlen (scheme);
  if (strlen (given) != token_length)
    return FALSE;
  for (gsize i = 0; i < token_length; i++)
    difference |= (guint8) (given[i] ^ token[i]);
  return difference == 0;
}
