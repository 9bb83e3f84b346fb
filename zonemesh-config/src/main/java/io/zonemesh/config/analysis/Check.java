package io.zonemesh.config.analysis;

/** One analysis over the whole mesh. */
interface Check {
    void run(MeshIndex mesh, Findings findings);
}
