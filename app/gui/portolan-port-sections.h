/* portolan-port-sections.h: the pieces of the Port view, built from one
 * PtlPortReport: title and badges, the status banner and the sections. */
#pragma once

#include <gtk/gtk.h>

#include "ptl-report.h"

G_BEGIN_DECLS

/* Callback for a clicked related port: @query is "194" or "6665-6669". */
typedef void (*PortolanOpenQueryFunc) (const char *query, gpointer user_data);

/* A heading and, below it, @body. */
GtkWidget *portolan_section_new (const char *title, GtkWidget *body);

/* A vertical box styled as a card of rows (gtk_box_append them). */
GtkWidget *portolan_card_list_new (void);

/* An empty row (a horizontal box) for a card list. */
GtkWidget *portolan_card_row_box_new (void);

/* A row with a title, a dim subtitle (may be NULL) and an optional suffix. */
GtkWidget *portolan_card_row_new (const char *title, const char *subtitle, GtkWidget *suffix);

/* A label that wraps, aligned left; @css (may be NULL) is added as a class. */
GtkWidget *portolan_text_new (const char *text, const char *css);

/* Gives @widget the accessible name @mnemonic_label without its mnemonic
 * underscore ("_Export…" is announced "Export…"). */
void portolan_accessible_name (GtkWidget *widget, const char *mnemonic_label);

/* A flat button that copies @text to the clipboard. */
GtkWidget *portolan_copy_button_new (const char *text, const char *tooltip);

GtkWidget *portolan_port_header_new (const PtlReportSet *set, const PtlPortReport *r);
GtkWidget *portolan_port_iana_section (const PtlPortReport *r);
GtkWidget *portolan_port_unofficial_section (const PtlPortReport *r);
GtkWidget *portolan_port_range_section (const PtlReportSet *set, const PtlPortReport *r);
GtkWidget *portolan_port_check_section (const PtlPortReport *r);
GtkWidget *portolan_port_related_section (const PtlPortReport *r, PortolanOpenQueryFunc open,
                                          gpointer user_data);

G_END_DECLS
