/* bench-noise-handshake — libp2p Noise XX handshakes per CPU-second, both
 * sides in one process, in memory, through the plugin's sans-I/O session
 * (no sockets, no main loop): what the CPU allows. Each side has its
 * identity made once, as SatoriNoiseSecurity keeps it. CPU time, not wall
 * time: robust to other load on the machine. For instruction counts, run
 * it under `valgrind --tool=callgrind` and divide handshake()'s inclusive
 * count by N + 1.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "satori-crypto.h"
#include "satori-noise-session.h"

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Moves what @from has to send into @to. */
static void
deliver (SatoriNoiseSession *from, SatoriNoiseSession *to, guint8 *buffer)
{
  gsize n = satori_noise_session_poll_transmit (from, buffer, SATORI_NOISE_MAX_MESSAGE + 2);
  gsize offset = 0;

  while (offset < n)
    {
      gsize consumed = 0;
      g_autoptr(GError) error = NULL;

      if (!satori_noise_session_handle_input (to, buffer + offset, n - offset, &consumed, &error))
        g_error ("handshake: %s", error->message);
      offset += consumed;
      if (consumed == 0)
        break;
    }
}

static void
handshake (SatoriNoiseIdentity *a, SatoriNoiseIdentity *b, guint8 *buffer)
{
  const char *muxers[] = { "/yamux/1.0.0", NULL };
  g_autoptr(SatoriNoiseSession) initiator =
    satori_noise_session_new (SATORI_NOISE_ROLE_INITIATOR, a, NULL, muxers, NULL, NULL, NULL);
  g_autoptr(SatoriNoiseSession) responder =
    satori_noise_session_new (SATORI_NOISE_ROLE_RESPONDER, b, NULL, muxers, NULL, NULL, NULL);

  for (int i = 0; i < 4 && !(satori_noise_session_is_handshake_complete (initiator) &&
                             satori_noise_session_is_handshake_complete (responder)); i++)
    {
      deliver (initiator, responder, buffer);
      deliver (responder, initiator, buffer);
    }
  if (!satori_noise_session_is_handshake_complete (initiator) ||
      !satori_noise_session_is_handshake_complete (responder))
    g_error ("handshake did not complete");
}

/* As SatoriNoiseSecurity does: one static key per identity, made once. */
static SatoriNoiseIdentity *
new_identity (void)
{
  g_autoptr(SatoriPrivateKey) key = satori_private_key_generate (SATORI_KEY_TYPE_ED25519, NULL);
  guint8 static_private[SATORI_NOISE_KEY_LENGTH];

  satori_crypto_random_bytes (static_private, sizeof static_private);
  return satori_noise_identity_new (key, static_private, NULL);
}

int
main (int argc, char **argv)
{
  int n = argc > 1 ? atoi (argv[1]) : 2000;
  g_autoptr(SatoriNoiseIdentity) a = new_identity ();
  g_autoptr(SatoriNoiseIdentity) b = new_identity ();
  g_autofree guint8 *buffer = g_malloc (SATORI_NOISE_MAX_MESSAGE + 2);

  handshake (a, b, buffer);
  double cpu0 = cpu_seconds ();
  gint64 wall0 = g_get_monotonic_time ();
  for (int i = 0; i < n; i++)
    handshake (a, b, buffer);
  double cpu = cpu_seconds () - cpu0;
  double wall = (double) (g_get_monotonic_time () - wall0) / G_USEC_PER_SEC;

  /* One handshake costs both sides' work; a server does only one side. */
  printf ("{\"handshakes\":%d,\"cpu_seconds\":%.4f,\"wall_seconds\":%.4f,"
          "\"full_handshakes_per_cpu_s\":%.1f,\"one_side_per_cpu_s\":%.1f}\n",
          n, cpu, wall, n / cpu, 2.0 * n / cpu);
  return 0;
}
