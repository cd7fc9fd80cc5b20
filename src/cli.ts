// placeholder, replaced by the CLI
console.log('mapcoder-lite');
