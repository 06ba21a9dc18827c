/** MicroProfile Health checks, one concern per class, by probe type. */
package io.smlguardian.store.health;
