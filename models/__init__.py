"""nextframe's Python side: the PyTorch world model, its ONNX export and manifest.

    /usr/bin/python3 -m models.export --preset tiny --seed 0 --out tests/fixtures/tiny

Modules (one concept each):
    actions     action slots, quantisation to bins, the values the model is fed
    config      ModelConfig and the named presets (tiny, tiny-streams, arena)
    conditioning  noise-level and action embeddings summed into one vector
    blocks      U-Net building blocks (adaptive GroupNorm residual block, ...)
    unet        the U-Net that predicts the EDM network output F
    denoiser    EDM preconditioning around the U-Net: D = c_skip x + c_out F
    loss        the EDM training loss (log-normal sigmas, lambda weighting)
    sampler     Karras sigma schedule and the Euler/Heun sampler
    flops       parameter and FLOP counts per denoising step
    manifest    manifest.json, read back from the exported ONNX graph
    reference   reference inputs/outputs for the TypeScript parity test
    export      the CLI that writes model.onnx + manifest.json (+ reference)
    dataset     recorded episodes -> samples; the split; per-step sharded sampling
    pack        a whole dataset as one compressed .npz, and back
    train       the trainer CLI (AdamW, EMA, context noise, checkpoints, resume, DDP)
    ema         exponential moving average of the weights
    distributed torchrun environment, process group, the trainer's collectives
    torchrun    torchrun with PyTorch 1.13's Python 3.11 start-up crash fixed
    evaluate    the evaluation CLI (one step, rollouts, detail ratio, baselines)
    metrics     PSNR, SSIM, gradient energy (as the TypeScript side defines them)
    png         PNG writing with zlib + struct
"""
