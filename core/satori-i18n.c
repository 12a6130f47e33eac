/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "satori-i18n.h"

#include <glib/gi18n-lib.h>

/* Binds the library's text domain to its install prefix, so applications
 * that never call bindtextdomain() for it still get translated errors. */
void
_satori_i18n_init (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      g_once_init_leave (&done, 1);
    }
}
