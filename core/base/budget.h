/* budget.h - one pool of worker slots shared by every processor a pipeline
 * runs at once: however many processors run, no more than this many dates
 * are in flight. */
#ifndef BF_BUDGET_H
#define BF_BUDGET_H

#include <pthread.h>

typedef struct budget {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int slots; /* free now */
} budget;

void budget_init(budget *b, int slots);
void budget_destroy(budget *b);
/* Take a slot, waiting for one; b may be NULL (no limit). */
void budget_take(budget *b);
void budget_give(budget *b);

#endif
