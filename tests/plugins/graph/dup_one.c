/* dup_one - writes table shared, as dup_two does. */
#include "graph_node.h"

GRAPH_NODE("dup_one", "shared", "upstream")
