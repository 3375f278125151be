const h=()=>Number(process.hrtime.bigint())/1e6;let t=h();
const lap=(s)=>{const n=h();console.log(s,(n-t).toFixed(1));t=n};
if (process.env.JL) require('zod').config({jitless:true});
const l=require('/work/wt/f20/dist/stacks/spec/load');lap('load');
const fs=require('fs');const text=fs.readFileSync('examples/sovereign.yaml','utf8');
const Y=require('yaml');Y.parseAllDocuments(text,{});lap('yaml parse');
l.loadSpec('/work/wt/f20/examples/sovereign.yaml');lap('loadSpec1');
