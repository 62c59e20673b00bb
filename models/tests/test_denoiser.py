"""EDM preconditioning maths and the training loss.

    /usr/bin/python3 -m pytest -q models/tests/test_denoiser.py
"""
import math

import pytest
import torch

from models.config import get_preset
from models.denoiser import Denoiser, edm_coefficients
from models.export import random_model
from models.loss import LossConfig, detail_loss, edm_loss, edm_loss_weight, sample_sigmas, tiles

from .helpers import random_inputs

SD = 0.5


def test_coefficients_at_sigma_data() -> None:
    c_skip, c_out, c_in, c_noise = (float(c) for c in edm_coefficients(torch.tensor(SD), SD))
    assert c_skip == pytest.approx(0.5)
    assert c_out == pytest.approx(SD / math.sqrt(2))
    assert c_in == pytest.approx(1 / (SD * math.sqrt(2)))
    assert c_noise == pytest.approx(math.log(SD) / 4)


def test_coefficients_hand_computed() -> None:
    # sigma = 2: sigma^2 + sd^2 = 4.25
    c_skip, c_out, c_in, c_noise = (float(c) for c in edm_coefficients(torch.tensor(2.0), SD))
    assert c_skip == pytest.approx(0.25 / 4.25)
    assert c_out == pytest.approx(1.0 / math.sqrt(4.25))
    assert c_in == pytest.approx(1 / math.sqrt(4.25))
    assert c_noise == pytest.approx(math.log(2.0) / 4)


@pytest.mark.parametrize("sigma", [0.002, 0.05, 0.5, 1.7, 5.0, 80.0])
def test_unit_variance_identities(sigma: float) -> None:
    coefficients = edm_coefficients(torch.tensor(sigma, dtype=torch.float64), SD)
    c_skip, c_out, c_in, _ = (float(c) for c in coefficients)
    # the network input c_in (x + sigma n) has unit variance ...
    assert c_in**2 * (SD**2 + sigma**2) == pytest.approx(1.0)
    # ... and so does its target (x - c_skip (x + sigma n)) / c_out
    assert ((1 - c_skip) ** 2 * SD**2 + c_skip**2 * sigma**2) / c_out**2 == pytest.approx(1.0)


def test_coefficients_broadcast_per_item() -> None:
    c_skip, _, _, _ = edm_coefficients(torch.tensor([0.5, 2.0]).view(-1, 1, 1, 1), SD)
    assert c_skip.shape == (2, 1, 1, 1)
    torch.testing.assert_close(c_skip.flatten(), torch.tensor([0.5, 0.25 / 4.25]))


def test_fresh_denoiser_is_c_skip_x() -> None:
    config = get_preset("tiny")
    inputs = random_inputs(config, 2)
    inputs["sigma"] = torch.tensor([0.3, 1.7])
    out = Denoiser(config).denoise(**inputs)
    c_skip = SD**2 / (inputs["sigma"] ** 2 + SD**2)
    torch.testing.assert_close(out, c_skip.view(-1, 1, 1, 1) * inputs["noisy"])


def test_low_noise_returns_the_input() -> None:
    # as sigma -> 0, c_skip -> 1 and c_out -> 0: whatever F says, D(x) -> x
    config = get_preset("tiny")
    inputs = random_inputs(config, 2, sigma=1e-4)
    out = random_model(config, seed=0).denoise(**inputs)
    torch.testing.assert_close(out, inputs["noisy"], rtol=0, atol=1e-3)


def test_loss_weight_is_inverse_c_out_squared() -> None:
    sigma = torch.tensor([0.002, 0.3, 1.0, 5.0], dtype=torch.float64)
    _, c_out, _, _ = edm_coefficients(sigma, SD)
    torch.testing.assert_close(edm_loss_weight(sigma, SD) * c_out**2, torch.ones_like(sigma))
    assert float(edm_loss_weight(torch.tensor(SD), SD)) == pytest.approx(2 / SD**2)


def test_loss_equals_weighted_denoising_error() -> None:
    config = get_preset("tiny-streams")
    model = random_model(config, seed=3)
    inputs = random_inputs(config, 3, seed=4)
    clean, sigma = inputs.pop("noisy").clamp(-1, 1), torch.tensor([0.05, 0.5, 3.0])
    del inputs["sigma"]
    loss = edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7))

    noise = torch.randn(clean.shape, generator=torch.Generator().manual_seed(7))
    denoised = model(clean + sigma.view(-1, 1, 1, 1) * noise, sigma, **inputs)
    weighted = edm_loss_weight(sigma, SD).view(-1, 1, 1, 1) * (denoised - clean) ** 2
    torch.testing.assert_close(loss, weighted.mean(), rtol=1e-4, atol=0)
    loss.backward()  # and it trains
    assert model.net.conv_out.weight.grad is not None


@pytest.mark.parametrize("residual", [False, True])
def test_detail_term_scores_the_denoised_frames_edge_energy(residual: bool) -> None:
    """--detail-weight adds weight x detail_loss(D, clean), D from the model's own forward()."""
    import dataclasses

    config = dataclasses.replace(get_preset("tiny-streams"), residual=residual)
    model = random_model(config, seed=5)
    inputs = random_inputs(config, 3, seed=6)
    clean, sigma = inputs.pop("noisy").clamp(-1, 1), torch.tensor([0.05, 0.5, 3.0])
    del inputs["sigma"]
    plain = edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7))
    with_detail = edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7),
                           detail_weight=0.3)

    noise = torch.randn(clean.shape, generator=torch.Generator().manual_seed(7))
    denoised = model(clean + sigma.view(-1, 1, 1, 1) * noise, sigma, **inputs)
    expected = 0.3 * detail_loss(denoised, clean)
    assert float(expected) > 1e-3  # a random model's frames do not have the truth's edge energy
    torch.testing.assert_close(with_detail - plain, expected, rtol=1e-3, atol=1e-6)
    with_detail.backward()
    assert model.net.conv_out.weight.grad is not None


def test_tiles_cut_frames_into_squares_in_order() -> None:
    x = torch.arange(2 * 3 * 4 * 6, dtype=torch.float32).reshape(2, 3, 4, 6)
    t = tiles(x, 2)
    assert t.shape == (2 * 2 * 3, 3, 2, 2)
    assert torch.equal(t[0], x[0, :, 0:2, 0:2])
    assert torch.equal(t[4], x[0, :, 2:4, 2:4])  # second row of tiles, second column
    assert torch.equal(t[6], x[1, :, 0:2, 0:2])
    assert tiles(x, 0) is x
    with pytest.raises(ValueError, match="must divide"):
        tiles(x, 4)


def test_tiled_detail_term_wants_flat_tiles_flat() -> None:
    """Per frame, grain on a flat half can stand in for the edges of the other half; per tile it
    cannot."""
    truth = torch.zeros(1, 3, 8, 8)
    truth[..., :4] = torch.tensor([[-0.5, 0.5] * 2] * 8).repeat(1, 3, 1, 1)  # stripes on the left half
    grain = truth.clone()
    grain[..., :4] = 0.0
    grain[..., 4:] = torch.tensor([[-0.5, 0.5] * 2] * 8).repeat(1, 3, 1, 1)  # the stripes moved right
    assert detail_loss(grain, truth).item() == pytest.approx(0.0, abs=1e-5)
    assert detail_loss(tiles(grain, 4), tiles(truth, 4)).item() > 1.0


def test_detail_term_weighs_each_tile_by_its_share() -> None:
    """--detail-uncovered: a tile memory covers adds nothing, an uncovered one its whole mismatch."""
    truth = torch.zeros(1, 3, 8, 8)
    truth[..., :4] = torch.tensor([[-0.5, 0.5] * 2] * 8).repeat(1, 3, 1, 1)  # stripes on the left half
    flat = torch.zeros(1, 3, 8, 8)  # a blur: every striped tile misses all its edge energy
    per_tile = [detail_loss(tiles(flat, 4)[k:k + 1], tiles(truth, 4)[k:k + 1]).item() for k in range(4)]
    assert per_tile[0] > 1.0 and per_tile[1] == pytest.approx(0.0, abs=1e-6)  # tile 0 striped, tile 1 flat
    share = torch.zeros(4)
    assert detail_loss(tiles(flat, 4), tiles(truth, 4), share).item() == 0.0  # all covered: no term
    share[0] = 0.5
    assert detail_loss(tiles(flat, 4), tiles(truth, 4), share).item() == pytest.approx(per_tile[0], rel=1e-6)
    share[1] = 0.5  # the flat tile, half uncovered, takes half the weight
    assert detail_loss(tiles(flat, 4), tiles(truth, 4), share).item() == pytest.approx(per_tile[0] / 2, rel=1e-6)


def test_detail_share_reaches_the_loss_per_tile() -> None:
    """edm_loss's detail_share (B,1,H,W) is averaged over each tile before weighting its term."""
    config = get_preset("tiny-streams")
    model = random_model(config, seed=5)
    inputs = random_inputs(config, 2, seed=6)
    clean, sigma = inputs.pop("noisy").clamp(-1, 1), torch.tensor([0.5, 3.0])
    del inputs["sigma"]
    h, w = clean.shape[-2:]
    run = lambda **kw: edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7),
                                detail_weight=0.3, detail_crop=h // 2, **kw)
    share = torch.zeros(2, 1, h, w)
    assert run(detail_share=share).item() == pytest.approx(
        edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7)).item(), rel=1e-6)
    noise = torch.randn(clean.shape, generator=torch.Generator().manual_seed(7))
    denoised = model(clean + sigma.view(-1, 1, 1, 1) * noise, sigma, **inputs)
    share[1, :, h // 2:, : w // 2] = 1.0  # the second frame's lower-left tile alone
    only = detail_loss(tiles(denoised, h // 2)[6:7], tiles(clean, h // 2)[6:7])
    plain = run(detail_share=torch.zeros(2, 1, h, w))
    torch.testing.assert_close(run(detail_share=share) - plain, 0.3 * only, rtol=1e-3, atol=1e-6)


def test_training_sigmas_are_log_normal() -> None:
    sigma = sample_sigmas(20000, LossConfig(), torch.Generator().manual_seed(0))
    assert float(sigma.log().mean()) == pytest.approx(-0.4, abs=0.03)
    assert float(sigma.log().std()) == pytest.approx(1.2, abs=0.03)


def test_residual_denoiser_works_around_its_base() -> None:
    """A residual model denoises the difference from memory-else-last-frame; where the frame
    equals that base, the loss target is what a zero residual gives, and sampling starts there."""
    import dataclasses

    from models.config import get_preset
    from models.loss import edm_loss
    from models.sampler import Sampler, SamplerConfig

    config = dataclasses.replace(get_preset("tiny-streams"), residual=True,
                                 sampler=SamplerConfig(sigma_data=0.25, start="base"))
    torch.manual_seed(0)
    model = Denoiser(config).eval()
    b, k = 2, config.context_frames
    context = torch.rand(b, 3 * k, 32, 32) * 2 - 1
    memory = torch.zeros(b, 4, 32, 32)
    memory[:, :3, :, :16] = 0.3
    memory[:, 3, :, :16] = 1.0  # left half covered
    base = model.base(context, memory)
    assert torch.allclose(base[..., :16], torch.full_like(base[..., :16], 0.3))
    assert torch.equal(base[..., 16:], context[:, -3:, :, 16:])
    streams = dict(context=context, actions=torch.zeros(b, k, 7), memory=memory, depth=torch.zeros(b, 1, 32, 32))
    sigma = torch.tensor([0.5, 2.0])
    noisy = base + sigma.view(-1, 1, 1, 1) * torch.randn(b, 3, 32, 32)
    c_skip, c_out, _, _ = edm_coefficients(sigma.view(-1, 1, 1, 1), 0.25)
    f = model.network_output(noisy, sigma, **streams)
    assert torch.allclose(model(noisy, sigma, **streams), base + c_skip * (noisy - base) + c_out * f, atol=1e-6)
    # Loss with clean == base: the network is asked for exactly what a zero residual needs.
    loss = edm_loss(model, base, streams, sigma=sigma, generator=torch.Generator().manual_seed(1))
    noise = torch.randn(base.shape, generator=torch.Generator().manual_seed(1))
    y = sigma.view(-1, 1, 1, 1) * noise
    expected = torch.mean((model.network_output(base + y, sigma, **streams) - (-c_skip * y) / c_out) ** 2)
    assert torch.allclose(loss, expected, atol=1e-6)
    # Sampling starts at base + sigma_max n.
    seen = []

    def record(x, sigma, **conditioning):
        seen.append(x.clone())
        return model(x, sigma, **conditioning)

    noise = torch.randn(b, 3, 32, 32)
    Sampler(model, config.sampler).sample((b, 3, 32, 32), noise=noise, **streams)
    plain = Sampler(record, dataclasses.replace(config.sampler, start="noise"))
    plain.sample((b, 3, 32, 32), noise=noise, **streams)
    assert torch.allclose(seen[0], noise * config.sampler.sigma_max)
    with pytest.raises(ValueError, match="start='base' needs a residual Denoiser"):
        Sampler(record, config.sampler).sample((b, 3, 32, 32), noise=noise, **streams)
