"""Golden for whole GAN training steps, as samples/Gan takes them (the sample's layers and optimizer, smaller sizes).

Run with Debian's PyTorch: /usr/bin/python3 tools/reference/gan_training.py
Writes tests/Unroll.Models.Tests/Goldens/gan.json, matching GanStepGenerator and GanStepDiscriminator in
tests/Unroll.Models.Tests/FunctionalModels.cs.

Generator: noise 5 -> Dense 7 leaky ReLU(0.2) -> Dense 9 leaky ReLU(0.2) -> Dense 6 tanh.
Discriminator: 6 -> Dense 8 leaky ReLU(0.2) -> Dense 4 leaky ReLU(0.2) -> Dense 1 sigmoid, binary cross-entropy.
Both Adam(lr 2e-4, betas (0.5, 0.999), eps 1e-7). Three iterations, each as PyTorch's DCGAN tutorial takes it:
- the discriminator's step: real samples labelled 1 and the generator's samples (detached) labelled 0, in one batch, so the
  loss is the mean of the two halves' means; its gradients, then its Adam step;
- the generator's step: fresh noise, its samples labelled real, through the discriminator, which is not stepped (its
  gradients are computed and thrown away); the generator's gradients, then its Adam step.
Recorded per iteration: both losses, both sets of gradients, the gradient of the generated samples; at the end every
parameter of both. Everything is float64 from float32 starting values.
"""
import torch
import torch.nn.functional as F

from golden import floats, write_golden

torch.set_default_dtype(torch.float64)


def f32(t):
    """Rounds to float32 values, so C# starts from exactly the same numbers."""
    return t.float().double()


def param(*shape, scale=0.5):
    return f32((torch.rand(*shape) * 2 - 1) * scale).requires_grad_(True)


def dense_stack(sizes):
    names = ["hidden1", "hidden2", "output"]
    p = {}
    for name, (fan_in, fan_out) in zip(names, zip(sizes, sizes[1:])):
        p[name + ".weight"] = param(fan_out, fan_in)
        p[name + ".bias"] = param(fan_out, scale=0.2)
    return p


def run(p, x, last):
    h = F.leaky_relu(x @ p["hidden1.weight"].T + p["hidden1.bias"], 0.2)
    h = F.leaky_relu(h @ p["hidden2.weight"].T + p["hidden2.bias"], 0.2)
    return last(h @ p["output.weight"].T + p["output.bias"])


def main():
    torch.manual_seed(11)
    batch, noise_size, width = 4, 5, 6
    generator = dense_stack([noise_size, 7, 9, width])
    discriminator = dense_stack([width, 8, 4, 1])
    g_names, d_names = list(generator), list(discriminator)
    opt_g = torch.optim.Adam([generator[n] for n in g_names], lr=0.0002, betas=(0.5, 0.999), eps=1e-7)
    opt_d = torch.optim.Adam([discriminator[n] for n in d_names], lr=0.0002, betas=(0.5, 0.999), eps=1e-7)
    result = {
        "generator": {n: floats(v) for n, v in generator.items()},
        "discriminator": {n: floats(v) for n, v in discriminator.items()},
        "iterations": [],
    }
    for _ in range(3):
        real = f32(torch.rand(batch, width) * 2 - 1)
        d_noise = f32(torch.randn(batch, noise_size))
        g_noise = f32(torch.randn(batch, noise_size))
        it = {"real": floats(real), "d_noise": floats(d_noise), "g_noise": floats(g_noise)}

        # The discriminator's step.
        opt_d.zero_grad()
        fake = run(generator, d_noise, torch.tanh).detach()
        x = torch.cat([real, fake])
        y = torch.cat([torch.ones(batch, 1), torch.zeros(batch, 1)])
        d_loss = F.binary_cross_entropy(run(discriminator, x, torch.sigmoid), y)
        d_loss.backward()
        it["d_loss"] = float(d_loss)
        it["d_gradients"] = {n: floats(discriminator[n].grad) for n in d_names}
        opt_d.step()

        # The generator's step through the discriminator, which is not stepped.
        opt_g.zero_grad()
        samples = run(generator, g_noise, torch.tanh)
        samples.retain_grad()
        g_loss = F.binary_cross_entropy(run(discriminator, samples, torch.sigmoid), torch.ones(batch, 1))
        g_loss.backward()
        it["g_loss"] = float(g_loss)
        it["samples_gradient"] = floats(samples.grad)
        it["g_gradients"] = {n: floats(generator[n].grad) for n in g_names}
        opt_g.step()
        for n in d_names:
            discriminator[n].grad = None
        result["iterations"].append(it)

    result["generator_after"] = {n: floats(v) for n, v in generator.items()}
    result["discriminator_after"] = {n: floats(v) for n, v in discriminator.items()}
    write_golden("gan.json", result, project="Unroll.Models.Tests")


if __name__ == "__main__":
    main()
