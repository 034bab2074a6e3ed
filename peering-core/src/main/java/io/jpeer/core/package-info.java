/** The peering core: pure and deterministic. Events in, effects out. */
package io.jpeer.core;
