/** The strategies the engine serves, listed once, and the reading of a request's alignment object. */
package dev.trimtab.decoding.registry;
