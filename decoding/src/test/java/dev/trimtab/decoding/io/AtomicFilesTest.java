package dev.trimtab.decoding.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path directory;

    @Test
    @DisplayName("a write replaces the whole file, readable by everyone, and leaves no temporary file")
    void replacesWholeFile() throws Exception {
        Path target = directory.resolve("sub/model.bin");
        AtomicFiles.writeString(target, "old");
        AtomicFiles.writeString(target, "new content");
        assertThat(target).hasContent("new content");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-r--r--");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    @DisplayName("a write that fails midway leaves the old file untouched")
    void failedWriteKeepsOldFile() throws Exception {
        Path target = directory.resolve("model.bin");
        AtomicFiles.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
                    out.write("partial".getBytes());
                    throw new IOException("disk full");
                }))
                .hasMessage("disk full");
        assertThat(target).hasContent("old");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(target);
        }
    }
}
