package org.bulletin.bench;

import java.nio.file.Path;

/**
 * What every scenario shares.
 *
 * @param smoke tiny sizes and short runs, to check the benchmark itself in under a minute
 */
record Env(String bootstrap, int runs, boolean smoke, Path workDir) {
  int seconds(int full, int smokeSeconds) {
    return smoke ? smokeSeconds : full;
  }

  int size(int full, int smokeSize) {
    return smoke ? smokeSize : full;
  }
}
