/** Competitive Companion's first port (it POSTs to several; this is the one editors use). Apart so settings read it without the listener. */
export const COMPANION_PORT = 27121;
