/**
 * One log line format for every wafleet component (docs/configuration.md, WAFLEET_LOG_FORMAT):
 * {@link io.wafleet.logging.WafleetLogEncoder} for logback, {@link io.wafleet.logging.JulSetup} for
 * java.util.logging. Depends on logback only.
 */
package io.wafleet.logging;
