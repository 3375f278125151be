#!/usr/bin/env node
console.log('sovereign');
