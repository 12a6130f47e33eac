/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "satori-crypto.h"

#include <gcrypt.h>
#include <string.h>

/* Oldest libgcrypt with everything we use (Ed25519 via gcry_mpi_ec_*, RFC 6979). */
#define NEED_LIBGCRYPT_VERSION "1.10.0"

/* Secure memory pool; libgcrypt grows it on demand after that. */
#define SECMEM_SIZE (64 * 1024)

/**
 * satori_crypto_init:
 *
 * Initialises libgcrypt once per process. Every function of satorip2p that
 * uses libgcrypt calls this first, so applications need not; an application
 * that set up libgcrypt itself before keeps its own settings.
 */
void
satori_crypto_init (void)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;

  if (gcry_check_version (NEED_LIBGCRYPT_VERSION) == NULL)
    g_error ("libgcrypt %s or newer is needed, found %s",
             NEED_LIBGCRYPT_VERSION, gcry_check_version (NULL));

  if (!gcry_control (GCRYCTL_INITIALIZATION_FINISHED_P))
    {
      /* Without the privilege to lock pages (containers, small
       * RLIMIT_MEMLOCK) libgcrypt would print a warning on every start;
       * keys are still kept apart and wiped on release. */
      gcry_control (GCRYCTL_DISABLE_SECMEM_WARN);
      gcry_control (GCRYCTL_INIT_SECMEM, SECMEM_SIZE, 0);
      gcry_control (GCRYCTL_AUTO_EXPAND_SECMEM, 0);
      gcry_control (GCRYCTL_INITIALIZATION_FINISHED, 0);
    }

  g_once_init_leave (&done, 1);
}

/**
 * satori_crypto_random_bytes:
 * @buffer: (out caller-allocates) (array length=len): where to write
 * @len: how many bytes
 *
 * Fills @buffer with random bytes fit for keys and nonces.
 */
void
satori_crypto_random_bytes (guint8 *buffer, gsize len)
{
  satori_crypto_init ();
  gcry_randomize (buffer, len, GCRY_STRONG_RANDOM);
}

/**
 * satori_crypto_sha256:
 * @data: (array length=len): bytes to hash
 * @len: their number
 * @digest: (out caller-allocates) (array fixed-size=32): the digest
 *
 * Computes the SHA-256 digest of @data.
 */
void
satori_crypto_sha256 (const guint8 *data, gsize len, guint8 digest[SATORI_SHA256_LENGTH])
{
  satori_crypto_init ();
  gcry_md_hash_buffer (GCRY_MD_SHA256, digest, data, len);
}

/**
 * satori_crypto_secure_bytes_new:
 * @data: (array length=len): secret bytes
 * @len: their number
 *
 * Copies @data into libgcrypt's secure memory. The copy is wiped when the
 * last reference to the returned #GBytes goes. The caller still wipes
 * @data itself.
 *
 * Returns: (transfer full): a #GBytes holding the copy
 */
/* A secure allocation that remembers its length, so that it can be wiped
 * even when the application switched libgcrypt's secure memory off. */
typedef struct {
  gsize len;
  guint8 data[];
} SecureBlock;

static void
secure_block_free (gpointer user_data)
{
  SecureBlock *block = user_data;

  explicit_bzero (block->data, block->len);
  gcry_free (block);
}

GBytes *
satori_crypto_secure_bytes_new (const guint8 *data, gsize len)
{
  satori_crypto_init ();

  SecureBlock *block = gcry_xmalloc_secure (sizeof (SecureBlock) + len);
  block->len = len;
  if (len > 0)
    memcpy (block->data, data, len);
  return g_bytes_new_with_free_func (block->data, len, secure_block_free, block);
}
