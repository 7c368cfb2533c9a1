package dev.trimtab.server.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trimtab.decoding.strategy.ModelKind;
import dev.trimtab.server.api.ClassifyRequest;
import dev.trimtab.server.api.CompletionRequest;
import java.util.List;

/**
 * A served base model some of whose configured auxiliary models failed to load (a broken file, a
 * reward label out of range): it serves with the others, and its {@code /v1/models} entry lists the
 * ones left out with their load errors under {@code unavailable_models}.
 */
final class UnavailableModels implements ServedModel {
    /** One auxiliary model left out, and why. */
    record Failure(ModelKind kind, String name, String error) {}

    private final ServedModel served;
    private final List<Failure> failures;

    UnavailableModels(ServedModel served, List<Failure> failures) {
        this.served = served;
        this.failures = List.copyOf(failures);
    }

    @Override
    public String name() {
        return served.name();
    }

    @Override
    public ObjectNode card() {
        ObjectNode card = served.card();
        ArrayNode unavailable = card.putArray("unavailable_models");
        for (Failure failure : failures) {
            unavailable
                    .addObject()
                    .put("name", failure.name())
                    .put("kind", failure.kind().configKey())
                    .put("error", failure.error());
        }
        return card;
    }

    @Override
    public Submission submit(CompletionRequest request, CompletionObserver observer) {
        return served.submit(request, observer);
    }

    @Override
    public ClassifyScores classify(ClassifyRequest request) {
        return served.classify(request);
    }

    @Override
    public int inFlight() {
        return served.inFlight();
    }

    @Override
    public void close() {
        served.close();
    }
}
