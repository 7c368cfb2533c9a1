package dev.trimtab.server.serving;

import dev.trimtab.decoding.schedule.Scheduler;
import java.time.Duration;

/** The one thread that owns a model's scheduler (and with it the models' sessions): rounds until closed. */
final class SchedulerThread {
    private static final Duration IDLE_WAIT = Duration.ofMillis(50);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Scheduler scheduler;
    private final Thread thread;
    private volatile boolean open = true;

    SchedulerThread(String model, Scheduler scheduler) {
        this.scheduler = scheduler;
        this.thread = Thread.ofPlatform().name("trimtab-scheduler-" + model).unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        try {
            while (open) {
                if (scheduler.awaitWork(IDLE_WAIT)) {
                    scheduler.runRound();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            scheduler.close();
        }
    }

    /**
     * Stops after the current round; queued and running requests are cancelled by the scheduler's
     * close. Returns whether the thread ended (after which no pass runs on the models' sessions).
     */
    boolean close() {
        open = false;
        try {
            return thread.join(STOP_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
