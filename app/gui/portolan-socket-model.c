/* portolan-socket-model.c: PRELIMINARY version that replaces every row on
 * each snapshot; the diffing version replaces it. */
#include "portolan-socket-model.h"

struct _PortolanSocketModel
{
  GObject parent_instance;

  GPtrArray *items;
  PortolanTable *table;
};

static GType
model_get_item_type (GListModel *list)
{
  (void) list;
  return PORTOLAN_TYPE_SOCKET_ROW;
}

static guint
model_get_n_items (GListModel *list)
{
  return PORTOLAN_SOCKET_MODEL (list)->items->len;
}

static gpointer
model_get_item (GListModel *list, guint position)
{
  PortolanSocketModel *self = PORTOLAN_SOCKET_MODEL (list);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
portolan_socket_model_list_init (GListModelInterface *iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (PortolanSocketModel, portolan_socket_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      portolan_socket_model_list_init))

static void
portolan_socket_model_finalize (GObject *object)
{
  PortolanSocketModel *self = PORTOLAN_SOCKET_MODEL (object);

  g_ptr_array_unref (self->items);
  g_clear_pointer (&self->table, portolan_table_free);
  G_OBJECT_CLASS (portolan_socket_model_parent_class)->finalize (object);
}

static void
portolan_socket_model_class_init (PortolanSocketModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = portolan_socket_model_finalize;
}

static void
portolan_socket_model_init (PortolanSocketModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

PortolanSocketModel *
portolan_socket_model_new (void)
{
  return g_object_new (PORTOLAN_TYPE_SOCKET_MODEL, NULL);
}

void
portolan_socket_model_apply (PortolanSocketModel *self, PortolanTable *snapshot)
{
  guint removed = self->items->len;

  g_ptr_array_set_size (self->items, 0);
  for (size_t i = 0; i < snapshot->table.len; i++)
    g_ptr_array_add (self->items,
                     portolan_socket_row_new (&snapshot->table, &snapshot->table.rows[i]));
  g_clear_pointer (&self->table, portolan_table_free);
  self->table = snapshot;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

const PtlSocketTable *
portolan_socket_model_get_table (PortolanSocketModel *self)
{
  return self->table ? &self->table->table : NULL;
}
