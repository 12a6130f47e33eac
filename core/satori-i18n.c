/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-i18n.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

/* The installed catalogues, unless SATORI_LOCALEDIR names others (the
 * build tree's, for tests). */
static const char *
locale_dir (void)
{
  const char *dir = g_getenv ("SATORI_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

/* Binds the library's text domain, so applications that never call
 * bindtextdomain() for it still get translated errors. */
void
_satori_i18n_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&done, 1);
    }
}

/**
 * satori_i18n_init_program:
 *
 * For satorip2p's own programs, first thing in main(): takes the locale
 * from the environment and makes the satorip2p catalogue (installed, or
 * the folder `SATORI_LOCALEDIR` names) the program's text domain.
 */
void
satori_i18n_init_program (void)
{
  setlocale (LC_ALL, "");
  _satori_i18n_init ();
  textdomain (GETTEXT_PACKAGE);
}
