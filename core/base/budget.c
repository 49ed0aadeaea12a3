/* budget.c - a counting semaphore on a mutex and a condition variable. */
#include "base/budget.h"

void budget_init(budget *b, int slots)
{
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->freed, NULL);
    b->slots = slots;
}

void budget_destroy(budget *b)
{
    pthread_cond_destroy(&b->freed);
    pthread_mutex_destroy(&b->lock);
}

void budget_take(budget *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    while (b->slots == 0)
        pthread_cond_wait(&b->freed, &b->lock);
    b->slots--;
    pthread_mutex_unlock(&b->lock);
}

void budget_give(budget *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->slots++;
    pthread_cond_signal(&b->freed);
    pthread_mutex_unlock(&b->lock);
}
