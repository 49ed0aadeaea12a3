/* dup_two - writes table SHARED: the same table as dup_one's, by SQLite's rules. */
#include "graph_node.h"

GRAPH_NODE("dup_two", "SHARED", "upstream")
